package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a short-lived helper command ({@code /bin/kill}, {@code etcdctl}) to completion within a
 * deadline and captures its output. Output goes to temp files, so a chatty command cannot block on
 * a full pipe.
 */
final class ExternalCommand {

  /** What a finished command left behind. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {

    /** Returns {@code stdout}, or throws with the command, exit code and stderr if it failed. */
    String stdoutOrThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            "command failed with exit code "
                + exitCode
                + ": "
                + String.join(" ", command)
                + "\nstderr: "
                + stderr.strip()
                + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip()));
      }
      return stdout;
    }
  }

  private ExternalCommand() {}

  /** Runs {@code command} with an unchanged environment. */
  static Result run(List<String> command, Duration timeout) {
    return run(command, timeout, env -> {});
  }

  /**
   * Runs {@code command}, letting {@code environment} edit the inherited environment first.
   *
   * @throws IllegalStateException if it does not finish within {@code timeout} (it is then killed)
   */
  static Result run(List<String> command, Duration timeout, Consumer<Map<String, String>> environment) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("distlock-cmd-", ".out");
      err = Files.createTempFile("distlock-cmd-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      environment.accept(builder.environment());
      Process process = builder.start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
      }
      if (!finished) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "command did not finish within "
                + timeout.toMillis()
                + " ms: "
                + String.join(" ", command)
                + "\nstderr so far: "
                + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      return new Result(
          List.copyOf(command),
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file; the OS cleans up eventually
      }
    }
  }
}
