package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisServerIT {

  private static final Duration SHORT = Duration.ofMillis(300);

  /** Shared by the tests that leave it running (or are healed by {@link #heal()}). */
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void heal() {
    redis.resume();
    if (!redis.isRunning()) {
      redis.restart();
    }
  }

  @Test
  void answersPingOnLoopback() {
    assertThat(redis.ping()).isEqualTo("PONG");
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redis.isRunning()).isTrue();
  }

  @Test
  void rawHelperHandlesStringsIntegersNilAndErrors() {
    assertThat(redis.command("SET", "greeting", "héllo wörld")).isEqualTo("OK");
    assertThat(redis.command("GET", "greeting")).isEqualTo("héllo wörld");
    assertThat(redis.command("INCR", "counter")).isEqualTo("1");
    assertThat(redis.command("GET", "no-such-key")).isNull();
    assertThat(redis.command("SET", "empty", "")).isEqualTo("OK");
    assertThat(redis.command("GET", "empty")).isEmpty();
    assertThatThrownBy(() -> redis.command("NO-SUCH-COMMAND"))
        .isInstanceOfSatisfying(
            RespErrorException.class, e -> assertThat(e.code()).isEqualTo("ERR"));
  }

  @Test
  void restartComesBackOnTheSamePortWithTheDataGone() {
    int port = redis.port();
    long pid = redis.pid();
    redis.command("SET", "survives", "no");

    redis.restart();

    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.pid()).isNotEqualTo(pid);
    assertThat(redis.ping()).isEqualTo("PONG");
    assertThat(redis.command("GET", "survives")).isNull();
  }

  @Test
  void pauseMakesPingTimeOutAndResumeMakesItWorkAgain() throws Exception {
    try (RespConnection before = redis.connect(SHORT)) {
      assertThat(before.command("PING")).isEqualTo("PONG");
    }

    redis.pause();

    assertThat(redis.isPaused()).isTrue();
    assertThat(redis.isRunning()).isTrue();
    try (RespConnection connection = redis.connect(SHORT)) {
      // The kernel still accepts the connection; nobody reads it.
      assertThatThrownBy(() -> connection.command("PING"))
          .isInstanceOf(SocketTimeoutException.class);
    }

    redis.resume();

    assertThat(redis.isPaused()).isFalse();
    try (RespConnection after = redis.connect(SHORT)) {
      assertThat(after.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void killThenRestartWorks() {
    long pid = redis.pid();

    redis.kill();

    assertThat(redis.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThatThrownBy(() -> redis.connect(SHORT).close()).isInstanceOf(ConnectException.class);

    redis.restart();

    assertThat(redis.ping()).isEqualTo("PONG");
  }

  @Test
  void stopEndsTheServerGracefully() {
    long pid = redis.pid();

    redis.stop();

    assertThat(redis.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(redis.logTail(50)).contains("ready to exit");
  }

  @Test
  void twoServersGetDifferentPortsAndDirs() {
    try (RedisServer other = RedisServer.start()) {
      assertThat(other.port()).isNotEqualTo(redis.port());
      assertThat(other.directory()).isNotEqualTo(redis.directory());
      other.command("SET", "where", "other");
      assertThat(redis.command("GET", "where")).isNull();
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
