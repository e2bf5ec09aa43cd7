package io.github.distlock.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.github.distlock.testkit.server.RespConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault proxy between a real Redis and a plain RESP client. */
class FaultProxyIT {

  @RegisterExtension
  static final ClassResource<RedisServer> REDIS = ClassResource.of(RedisServer::start);

  private FaultProxy proxy;

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private RespConnection connect(Duration timeout) throws IOException {
    return RespConnection.open(proxy.host(), proxy.port(), timeout);
  }

  @Test
  void forwardsInPassThroughMode() throws IOException {
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    try (RespConnection c = connect(Duration.ofSeconds(5))) {
      assertThat(c.command("SET", "k", "v")).isEqualTo("OK");
      assertThat(c.command("GET", "k")).isEqualTo("v");
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void blackHoleHoldsTrafficUntilHealed() throws Exception {
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    try (RespConnection c = connect(Duration.ofSeconds(10))) {
      assertThat(c.command("PING")).isEqualTo("PONG");
      proxy.blackHole();
      CompletableFuture<String> reply =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return c.command("ECHO", "late");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      // nothing gets through while the black hole lasts
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !reply.isDone());
      proxy.heal();
      assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("late");
    }
  }

  @Test
  void blackHoleMakesClientsTimeOut() throws IOException {
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    try (RespConnection c = connect(Duration.ofMillis(300))) {
      proxy.blackHole();
      assertThatThrownBy(() -> c.command("PING")).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void latencyDelaysEveryReply() throws IOException {
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    try (RespConnection c = connect(Duration.ofSeconds(5))) {
      proxy.latency(Duration.ofMillis(100));
      long start = System.nanoTime();
      assertThat(c.command("PING")).isEqualTo("PONG");
      // both directions are delayed: at least the two one-way delays
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      proxy.heal();
      assertThat(c.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void resetClosesOpenConnections() throws IOException {
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    try (RespConnection c = connect(Duration.ofSeconds(5))) {
      assertThat(c.command("PING")).isEqualTo("PONG");
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 1);
      assertThat(proxy.resetConnections()).isEqualTo(1);
      assertThatThrownBy(() -> c.command("PING")).isInstanceOf(IOException.class);
    }
    try (RespConnection again = connect(Duration.ofSeconds(5))) {
      assertThat(again.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> FaultProxy.start(" ", 1)).hasMessageContaining("host");
    assertThatThrownBy(() -> FaultProxy.start("localhost", 0)).hasMessageContaining("port");
    proxy = FaultProxy.start(REDIS.get().host(), REDIS.get().port());
    assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1))).hasMessageContaining("oneWay");
  }
}
