package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServerProcess} on a plain {@code sleep}, where the kernel's view is easy to check. */
class ServerProcessIT {

  @TempDir Path dir;

  @Test
  void pauseAndResumeStopAndContinueTheProcess() throws Exception {
    ServerProcess sleep = startSleep();
    try {
      sleep.pause();
      assertThat(sleep.isPaused()).isTrue();
      assertThat(state(sleep.pid())).isEqualTo('T');
      sleep.pause(); // idempotent

      sleep.resume();
      assertThat(sleep.isPaused()).isFalse();
      assertThat(state(sleep.pid())).isNotEqualTo('T');
      assertThat(sleep.isAlive()).isTrue();
    } finally {
      sleep.kill();
    }
  }

  @Test
  void killEndsEvenAPausedProcess() {
    ServerProcess sleep = startSleep();
    sleep.pause();

    sleep.kill();

    assertThat(sleep.isAlive()).isFalse();
    assertThat(sleep.isPaused()).isFalse();
    assertThat(ProcessHandle.of(sleep.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(
        Optional.of(true));
    assertThat(sleep.exitCode()).hasValue(128 + 9);
    sleep.kill(); // idempotent
  }

  @Test
  void stopSendsSigtermAndWaitsForExit() {
    ServerProcess sleep = startSleep();

    sleep.stop(Duration.ofSeconds(5));

    assertThat(sleep.isAlive()).isFalse();
    assertThat(sleep.exitCode()).hasValue(128 + 15);
  }

  @Test
  void stopKillsAProcessThatIgnoresSigterm() {
    ServerProcess stubborn =
        ServerProcess.start(
            "stubborn",
            List.of("/bin/sh", "-c", "trap '' TERM; echo trapped; while :; do sleep 1; done"),
            dir,
            dir.resolve("stubborn.log"));
    await().atMost(Duration.ofSeconds(5)).until(() -> stubborn.logTail(1).equals("trapped"));

    stubborn.stop(Duration.ofMillis(300));

    assertThat(stubborn.isAlive()).isFalse();
    assertThat(stubborn.exitCode()).hasValue(128 + 9);
  }

  @Test
  void pausingAnExitedProcessFails() {
    ServerProcess sleep = startSleep();
    sleep.kill();

    assertThatThrownBy(sleep::pause).isInstanceOf(IllegalStateException.class);
    sleep.resume(); // not paused: nothing to do
  }

  @Test
  void outputGoesToTheLogFileAndLogTailReturnsTheLastLines() {
    Path log = dir.resolve("count.log");
    ServerProcess count =
        ServerProcess.start(
            "count",
            List.of("/bin/sh", "-c", "for i in $(seq 1 100); do echo line$i; done; echo oops >&2"),
            dir,
            log);
    await().atMost(Duration.ofSeconds(5)).until(() -> !count.isAlive());

    assertThat(count.logTail(3).lines()).containsExactly("line99", "line100", "oops");
    assertThat(count.logFile()).isEqualTo(log);
    assertThat(count.logTail(1000).lines().findFirst()).get().asString().startsWith("=== ");
  }

  @Test
  void aMissingExecutableFailsToStart() {
    assertThatThrownBy(
            () ->
                ServerProcess.start(
                    "nothing", List.of("/no/such/program"), dir, dir.resolve("nothing.log")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("/no/such/program");
  }

  private ServerProcess startSleep() {
    return ServerProcess.start(
        "sleep", List.of("/bin/sleep", "60"), dir, dir.resolve("sleep.log"));
  }

  private static char state(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }
}
