package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.testkit.junit.ClassResource;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerIT {

  private static final Duration SHORT = Duration.ofMillis(300);

  /** Shared by the tests that leave it running (or are healed by {@link #heal()}). */
  @RegisterExtension
  static final ClassResource<RedisServer> REDIS = ClassResource.of(RedisServer::start);

  @AfterEach
  void heal() {
    REDIS.get().resume();
    if (!REDIS.get().isRunning()) {
      REDIS.get().restart();
    }
  }

  @Test
  void answersPingOnLoopback() {
    assertThat(REDIS.get().ping()).isEqualTo("PONG");
    assertThat(REDIS.get().host()).isEqualTo("127.0.0.1");
    assertThat(REDIS.get().uri()).isEqualTo("redis://127.0.0.1:" + REDIS.get().port());
    assertThat(REDIS.get().isRunning()).isTrue();
  }

  @Test
  void rawHelperHandlesStringsIntegersNilAndErrors() {
    assertThat(REDIS.get().command("SET", "greeting", "héllo wörld")).isEqualTo("OK");
    assertThat(REDIS.get().command("GET", "greeting")).isEqualTo("héllo wörld");
    assertThat(REDIS.get().command("INCR", "counter")).isEqualTo("1");
    assertThat(REDIS.get().command("GET", "no-such-key")).isNull();
    assertThat(REDIS.get().command("SET", "empty", "")).isEqualTo("OK");
    assertThat(REDIS.get().command("GET", "empty")).isEmpty();
    assertThatThrownBy(() -> REDIS.get().command("NO-SUCH-COMMAND"))
        .isInstanceOfSatisfying(
            RespErrorException.class, e -> assertThat(e.code()).isEqualTo("ERR"));
  }

  @Test
  void restartComesBackOnTheSamePortWithTheDataGone() {
    int port = REDIS.get().port();
    long pid = REDIS.get().pid();
    REDIS.get().command("SET", "survives", "no");

    REDIS.get().restart();

    assertThat(REDIS.get().port()).isEqualTo(port);
    assertThat(REDIS.get().pid()).isNotEqualTo(pid);
    assertThat(REDIS.get().ping()).isEqualTo("PONG");
    assertThat(REDIS.get().command("GET", "survives")).isNull();
  }

  @Test
  void pauseMakesPingTimeOutAndResumeMakesItWorkAgain() throws Exception {
    try (RespConnection before = REDIS.get().connect(SHORT)) {
      assertThat(before.command("PING")).isEqualTo("PONG");
    }

    REDIS.get().pause();

    assertThat(REDIS.get().isPaused()).isTrue();
    assertThat(REDIS.get().isRunning()).isTrue();
    try (RespConnection connection = REDIS.get().connect(SHORT)) {
      // The kernel still accepts the connection; nobody reads it.
      assertThatThrownBy(() -> connection.command("PING"))
          .isInstanceOf(SocketTimeoutException.class);
    }

    REDIS.get().resume();

    assertThat(REDIS.get().isPaused()).isFalse();
    try (RespConnection after = REDIS.get().connect(SHORT)) {
      assertThat(after.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void killThenRestartWorks() {
    long pid = REDIS.get().pid();

    REDIS.get().kill();

    assertThat(REDIS.get().isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThatThrownBy(() -> REDIS.get().connect(SHORT).close()).isInstanceOf(ConnectException.class);

    REDIS.get().restart();

    assertThat(REDIS.get().ping()).isEqualTo("PONG");
  }

  @Test
  void stopEndsTheServerGracefully() {
    long pid = REDIS.get().pid();

    REDIS.get().stop();

    assertThat(REDIS.get().isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(REDIS.get().logTail(50)).contains("ready to exit");
  }

  @Test
  void twoServersGetDifferentPortsAndDirs() {
    try (RedisServer other = RedisServer.start()) {
      assertThat(other.port()).isNotEqualTo(REDIS.get().port());
      assertThat(other.directory()).isNotEqualTo(REDIS.get().directory());
      other.command("SET", "where", "other");
      assertThat(REDIS.get().command("GET", "where")).isNull();
    }
  }

  @Test
  void closeLeavesNoProcessAndNoTempDir() {
    RedisServer server = RedisServer.start();
    long pid = server.pid();
    Path dir = server.directory();
    assertThat(dir).isDirectory();

    server.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(dir).doesNotExist();
    server.close(); // idempotent
    assertThatThrownBy(server::restart).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeEndsAPausedServer() {
    RedisServer server = RedisServer.start();
    long pid = server.pid();
    server.pause();

    server.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(server.directory()).doesNotExist();
  }

  @Test
  void builderArgsReachTheServerAndNoauthCountsAsReady() throws Exception {
    try (RedisServer secured = RedisServer.builder().arg("--requirepass", "s3cret").start()) {
      assertThatThrownBy(secured::ping)
          .isInstanceOfSatisfying(
              RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOAUTH"));
      try (RespConnection connection = secured.connect(Duration.ofSeconds(5))) {
        assertThat(connection.command("AUTH", "s3cret")).isEqualTo("OK");
        assertThat(connection.command("PING")).isEqualTo("PONG");
      }
    }
  }

  @Test
  void aServerThatCannotStartFailsWithItsLog() {
    assertThatThrownBy(() -> RedisServer.builder().arg("--no-such-directive", "x").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("no-such-directive");
  }
}
