package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.junit.ClassResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdServerIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Shared by the tests; {@link #heal()} brings it back after a fault. */
  @RegisterExtension
  static final ClassResource<EtcdServer> ETCD = ClassResource.of(EtcdServer::start);

  @AfterEach
  void heal() {
    ETCD.get().resume();
    if (!ETCD.get().isRunning()) {
      ETCD.get().restart();
    }
  }

  @Test
  void healthEndpointSaysHealthy() throws Exception {
    HttpResponse<String> health = get("/health", Duration.ofSeconds(2));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"health\":\"true\"");
    assertThat(ETCD.get().isHealthy(Duration.ofSeconds(1))).isTrue();
    assertThat(ETCD.get().endpoint()).isEqualTo("http://127.0.0.1:" + ETCD.get().clientPort());
  }

  @Test
  void putAndGetThroughEtcdctl() {
    assertThat(ETCD.get().etcdctl("put", "fixture/key", "value 1").strip()).isEqualTo("OK");

    assertThat(ETCD.get().etcdctl("get", "fixture/key", "--print-value-only").strip())
        .isEqualTo("value 1");
  }

  @Test
  void etcdctlFailureCarriesItsStderr() {
    assertThatThrownBy(() -> ETCD.get().etcdctl("get"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exit code")
        .hasMessageContaining("get command needs one argument");
  }

  @Test
  void restartKeepsTheData() {
    ETCD.get().etcdctl("put", "fixture/restart", "kept");
    long pid = ETCD.get().pid();
    int port = ETCD.get().clientPort();

    ETCD.get().restart();

    assertThat(ETCD.get().pid()).isNotEqualTo(pid);
    assertThat(ETCD.get().clientPort()).isEqualTo(port);
    assertThat(ETCD.get().etcdctl("get", "fixture/restart", "--print-value-only").strip())
        .isEqualTo("kept");
  }

  @Test
  void pauseMakesHealthTimeOutAndResumeMakesItHealthyAgain() {
    ETCD.get().pause();

    assertThat(ETCD.get().isPaused()).isTrue();
    assertThatThrownBy(() -> get("/health", Duration.ofMillis(500)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(ETCD.get().isHealthy(Duration.ofMillis(300))).isFalse();

    ETCD.get().resume();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ETCD.get().isHealthy(Duration.ofSeconds(1)));
  }

  @Test
  void killThenRestartKeepsTheData() {
    ETCD.get().etcdctl("put", "fixture/kill", "fsynced");
    long pid = ETCD.get().pid();

    ETCD.get().kill();

    assertThat(ETCD.get().isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

    ETCD.get().restart();

    assertThat(ETCD.get().etcdctl("get", "fixture/kill", "--print-value-only").strip())
        .isEqualTo("fsynced");
  }

  @Test
  void aLeaseShorterThanTheMinimumGetsTheMinimumTtl() {
    assertThat(ETCD.get().minLeaseTtl()).isEqualTo(Duration.ofSeconds(2));

    assertThat(ETCD.get().etcdctl("lease", "grant", "1")).contains("granted with TTL(2s)");
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
        HttpRequest.newBuilder(URI.create(ETCD.get().endpoint() + path)).timeout(timeout).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
