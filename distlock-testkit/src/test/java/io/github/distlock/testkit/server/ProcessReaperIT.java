package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that exits without closing its fixtures leaves no server process behind. */
class ProcessReaperIT {

  @Test
  void serversDieWhenTheJvmExitsEvenIfPaused() throws Exception {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    javaBinary,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ShutdownHookChild.class.getName()))
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
      }
    } finally {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }

    assertThat(child.exitValue()).as(output.toString()).isZero();
    String pidsLine =
        output.toString().lines().filter(l -> l.startsWith("pids ")).findFirst().orElseThrow(
            () -> new AssertionError("child printed no pids:\n" + output));
    String[] parts = pidsLine.split(" ");
    for (int i = 1; i < parts.length; i++) {
      long pid = Long.parseLong(parts[i]);
      // The hook waits for each kill, so they are gone once the child JVM has exited.
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
          .as("redis-server pid %d after the JVM that started it exited", pid)
          .isNotEqualTo(Optional.of(true));
    }
    // The hook only kills; the temp dirs are ours to remove.
    output.toString().lines().filter(l -> l.startsWith("dirs ")).findFirst().ifPresent(
        dirs -> {
          for (String dir : dirs.substring("dirs ".length()).split(" ")) {
            TempDirs.deleteRecursively(Path.of(dir));
          }
        });
  }
}
