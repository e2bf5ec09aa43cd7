package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EtcdServerIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Shared by the tests; {@link #heal()} brings it back after a fault. */
  private static EtcdServer etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdServer.start();
  }

  @AfterAll
  static void closeEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @AfterEach
  void heal() {
    etcd.resume();
    if (!etcd.isRunning()) {
      etcd.restart();
    }
  }

  @Test
  void healthEndpointSaysHealthy() throws Exception {
    HttpResponse<String> health = get("/health", Duration.ofSeconds(2));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"health\":\"true\"");
    assertThat(etcd.isHealthy(Duration.ofSeconds(1))).isTrue();
    assertThat(etcd.endpoint()).isEqualTo("http://127.0.0.1:" + etcd.clientPort());
  }

  @Test
  void putAndGetThroughEtcdctl() {
    assertThat(etcd.etcdctl("put", "fixture/key", "value 1").strip()).isEqualTo("OK");

    assertThat(etcd.etcdctl("get", "fixture/key", "--print-value-only").strip())
        .isEqualTo("value 1");
  }

  @Test
  void etcdctlFailureCarriesItsStderr() {
    assertThatThrownBy(() -> etcd.etcdctl("get"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exit code")
        .hasMessageContaining("get command needs one argument");
  }

  @Test
  void restartKeepsTheData() {
    etcd.etcdctl("put", "fixture/restart", "kept");
    long pid = etcd.pid();
    int port = etcd.clientPort();

    etcd.restart();

    assertThat(etcd.pid()).isNotEqualTo(pid);
    assertThat(etcd.clientPort()).isEqualTo(port);
    assertThat(etcd.etcdctl("get", "fixture/restart", "--print-value-only").strip())
        .isEqualTo("kept");
  }

  @Test
  void pauseMakesHealthTimeOutAndResumeMakesItHealthyAgain() {
    etcd.pause();

    assertThat(etcd.isPaused()).isTrue();
    assertThatThrownBy(() -> get("/health", Duration.ofMillis(500)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(etcd.isHealthy(Duration.ofMillis(300))).isFalse();

    etcd.resume();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> etcd.isHealthy(Duration.ofSeconds(1)));
  }

  @Test
  void killThenRestartKeepsTheData() {
    etcd.etcdctl("put", "fixture/kill", "fsynced");
    long pid = etcd.pid();

    etcd.kill();

    assertThat(etcd.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

    etcd.restart();

    assertThat(etcd.etcdctl("get", "fixture/kill", "--print-value-only").strip())
        .isEqualTo("fsynced");
  }

  @Test
  void aLeaseShorterThanTheMinimumGetsTheMinimumTtl() {
    assertThat(etcd.minLeaseTtl()).isEqualTo(Duration.ofSeconds(2));

    assertThat(etcd.etcdctl("lease", "grant", "1")).contains("granted with TTL(2s)");
  }

  @Test
  void builderOptionsReachEtcdAndCloseLeavesNothingBehind() {
    EtcdServer fast =
        EtcdServer.builder()
            .name("fast")
            .heartbeatInterval(Duration.ofMillis(50))
            .electionTimeout(Duration.ofMillis(500))
            .arg("--max-txn-ops", "256")
            .start();
    long pid = fast.pid();
    Path dir = fast.directory();
    try {
      assertThat(fast.name()).isEqualTo("fast");
      assertThat(fast.commandLine()).containsSubsequence("--max-txn-ops", "256");
      assertThat(fast.etcdctl("member", "list")).contains("fast");
      // With 50 ms / 500 ms the minimum lease TTL drops to 1 s.
      assertThat(fast.minLeaseTtl()).isEqualTo(Duration.ofSeconds(1));
      assertThat(fast.etcdctl("lease", "grant", "1")).contains("granted with TTL(1s)");
      fast.pause();
    } finally {
      fast.close();
    }

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(dir).doesNotExist();
  }

  @Test
  void timingThatEtcdWouldRejectFailsBeforeStarting() {
    assertThatThrownBy(
            () ->
                EtcdServer.builder()
                    .heartbeatInterval(Duration.ofMillis(300))
                    .electionTimeout(Duration.ofMillis(1000))
                    .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("electionTimeout");
  }

  private static HttpResponse<String> get(String path, Duration timeout) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(etcd.endpoint() + path)).timeout(timeout).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
