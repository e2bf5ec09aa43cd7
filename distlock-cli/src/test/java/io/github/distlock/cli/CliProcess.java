package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded {@code distlock.jar} started as a real process ({@code java -jar}, with the JVM
 * options of {@code ./distlock}), the way users run it. Its output goes to files in a work directory; the environment is the test's without
 * any {@code DISTLOCK_*} variable, plus what the test gives.
 */
final class CliProcess {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String description;
    private final long startNanos = System.nanoTime();

    private CliProcess(Process process, Path stdout, Path stderr, String description) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.description = description;
    }

    /** The jar Failsafe passes in (built by the package phase). */
    static Path jar() {
        String jar = System.getProperty("distlock.jar");
        assertThat(jar).as("system property distlock.jar (set by the failsafe configuration)").isNotNull();
        assertThat(Path.of(jar)).as("the shaded jar; run the package phase first").exists();
        return Path.of(jar);
    }

    /**
     * Starts {@code java -jar distlock.jar ARGS} in {@code dir}.
     *
     * @param dir working directory, also where its output files go
     * @param env extra environment variables
     * @param args the arguments
     */
    static CliProcess start(Path dir, Map<String, String> env, String... args) {
        int n = COUNTER.incrementAndGet();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM options ./distlock uses by default.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DISTLOCK_"));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close(); // stdin at EOF, as in CI
            return new CliProcess(p, out, err, "distlock " + String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process and waits for it, at most a minute. */
    static CliProcess run(Path dir, Map<String, String> env, String... args) {
        CliProcess p = start(dir, env, args);
        p.await(DEFAULT_WAIT);
        return p;
    }

    /** Waits for the exit, failing the test with the output if it takes longer than {@code timeout}. */
    int await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(description + " did not exit within " + timeout + "\nstdout: " + stdout() + "\nstderr: " + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** The exit status, waiting at most a minute. */
    int exitCode() {
        return await(DEFAULT_WAIT);
    }

    /** Time from start to now (or to the exit, after {@link #await}). */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Kills the process and anything it started; for cleanup. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return description + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                + "\nstdout: " + stdout() + "\nstderr: " + stderr();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
