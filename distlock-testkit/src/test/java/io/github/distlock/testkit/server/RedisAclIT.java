package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisAclIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void aRestrictedUserIsLimitedToItsKeysAndCommands() throws Exception {
    try (RedisServer redis =
        RedisServer.builder()
            .aclUser("locker", "s3cret", "~lock:*", "+@read", "+@write", "-@dangerous", "+ping", "-del")
            .start()) {
      assertThat(redis.command("ACL", "WHOAMI")).isEqualTo("default");

      try (RespConnection connection = redis.connect(TIMEOUT)) {
        assertThat(connection.auth("locker", "s3cret")).isEqualTo("OK");
        assertThat(connection.command("PING")).isEqualTo("PONG");
        assertThat(connection.command("SET", "lock:a", "1")).isEqualTo("OK");
        assertThat(connection.command("GET", "lock:a")).isEqualTo("1");
        assertThatThrownBy(() -> connection.command("SET", "other:a", "1"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOPERM"));
        assertThatThrownBy(() -> connection.command("DEL", "lock:a"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOPERM"));
        assertThatThrownBy(() -> connection.command("ACL", "WHOAMI"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOPERM"));
        assertThatThrownBy(() -> connection.command("FLUSHALL"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOPERM"));
      }
    }
  }

  @Test
  void aWrongPasswordIsRejected() throws Exception {
    try (RedisServer redis = RedisServer.builder().aclUser("locker", "s3cret", "+@all", "~*").start()) {
      try (RespConnection connection = redis.connect(TIMEOUT)) {
        assertThatThrownBy(() -> connection.auth("locker", "wrong"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("WRONGPASS"));
        assertThatThrownBy(() -> connection.auth("nobody", "s3cret"))
            .isInstanceOfSatisfying(
                RespErrorException.class, e -> assertThat(e.code()).isEqualTo("WRONGPASS"));
        assertThat(connection.auth("locker", "s3cret")).isEqualTo("OK");
        assertThat(connection.command("ACL", "WHOAMI")).isEqualTo("locker");
      }
    }
  }

  @Test
  void aProtectedDefaultUserNeedsAuthAndTheFixtureStillStarts() throws Exception {
    try (RedisServer redis =
        RedisServer.builder()
            .aclUser("default", "adminpw", "~*", "&*", "+@all")
            .aclUser("app", "apppw", "~app:*", "+@all")
            .start()) {
      assertThatThrownBy(redis::ping)
          .isInstanceOfSatisfying(
              RespErrorException.class, e -> assertThat(e.code()).isEqualTo("NOAUTH"));
      try (RespConnection connection = redis.connect(TIMEOUT)) {
        assertThat(connection.auth("adminpw")).isEqualTo("OK");
        assertThat(connection.command("ACL", "WHOAMI")).isEqualTo("default");
      }
    }
  }

  @Test
  void aclTokensWithWhitespaceAreRejected() {
    assertThatThrownBy(() -> RedisServer.builder().aclUser("a b", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisServer.builder().aclUser("a", "p w"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
