package io.github.distlock.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisTlsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void generateCertificates() throws IOException {
    dir = Files.createTempDirectory("distlock-tls-");
    certs = TestCertificates.generate(dir);
  }

  @AfterAll
  static void deleteCertificates() {
    if (dir != null) {
      TempDirs.deleteRecursively(dir);
    }
  }

  @Test
  void generatesPemFilesAndJavaStores() throws Exception {
    assertThat(Files.readString(certs.caCert())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(certs.serverCert())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(certs.clientCert())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(certs.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(certs.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");

    KeyStore trust = load(certs.trustStore(), certs.trustStorePassword());
    assertThat(trust.isCertificateEntry("ca")).isTrue();
    KeyStore keys = load(certs.keyStore(), certs.keyStorePassword());
    assertThat(keys.isKeyEntry("client")).isTrue();
    X509Certificate client = (X509Certificate) keys.getCertificate("client");
    assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=distlock-test-client");
    assertThat(keys.getCertificateChain("client")).hasSize(2);
  }

  @Test
  void tlsServerAnswersTlsPingButNotPlainText() throws Exception {
    try (RedisServer redis = RedisServer.builder().tls(certs).start()) {
      assertThat(redis.isTls()).isTrue();
      assertThat(redis.uri()).isEqualTo("rediss://127.0.0.1:" + redis.port());
      assertThat(redis.commandLine()).contains("--tls-port", "--tls-auth-clients", "no");
      assertThat(redis.ping()).isEqualTo("PONG");

      // Without a client certificate: fine, auth-clients is off.
      try (RespConnection tls = RespConnection.open("127.0.0.1", redis.port(), TIMEOUT, certs.sslContext())) {
        assertThat(tls.command("PING")).isEqualTo("PONG");
      }
      // Plain TCP to the TLS port: the server drops the connection.
      assertThatThrownBy(
              () -> {
                try (RespConnection plain = RespConnection.open("127.0.0.1", redis.port(), TIMEOUT)) {
                  plain.command("PING");
                }
              })
          .isInstanceOf(IOException.class);
      // A client that does not trust the CA refuses the server.
      assertThatThrownBy(
              () -> RespConnection.open("127.0.0.1", redis.port(), TIMEOUT, SSLContext.getDefault())
                  .close())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutCertificate() throws Exception {
    try (RedisServer redis = RedisServer.builder().tls(certs, true).start()) {
      assertThat(redis.commandLine()).contains("--tls-auth-clients", "yes");
      assertThat(redis.ping()).isEqualTo("PONG"); // the fixture presents the client cert

      assertThatThrownBy(
              () -> {
                try (RespConnection anonymous =
                    RespConnection.open("127.0.0.1", redis.port(), TIMEOUT, certs.sslContext())) {
                  anonymous.command("PING");
                }
              })
          .isInstanceOf(IOException.class);

      try (RespConnection withCert =
          RespConnection.open("127.0.0.1", redis.port(), TIMEOUT, certs.clientSslContext())) {
        assertThat(withCert.command("PING")).isEqualTo("PONG");
      }
    }
  }

  private static KeyStore load(Path file, String password) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(certs.storeType());
      store.load(in, password.toCharArray());
      return store;
    }
  }
}
