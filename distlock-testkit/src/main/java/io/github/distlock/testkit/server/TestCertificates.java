package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throw-away TLS material for tests, generated with {@code openssl} and {@code keytool} into a
 * directory: a CA, a server certificate for {@code 127.0.0.1} and {@code localhost} and a client
 * certificate (for mutual TLS), both signed by the CA.
 *
 * <p>PEM files serve servers ({@code redis-server}, {@code etcd}) and clients that take PEM
 * (Netty, gRPC: the private keys are unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}). Java clients
 * get a PKCS#12 {@linkplain #trustStore() trust store} with the CA and a PKCS#12 {@linkplain
 * #keyStore() key store} with the client key and certificate chain, or a ready {@link SSLContext}
 * from {@link #sslContext()} / {@link #clientSslContext()}. Keys are RSA 2048; certificates are
 * valid for 10 years from generation. Generating takes about a second on an idle machine.
 *
 * <p>Instances are immutable; the files stay until the caller deletes the directory.
 */
public final class TestCertificates {

  /** Password of both PKCS#12 stores. */
  public static final String STORE_PASSWORD = "changeit";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final String DAYS = "3650";

  private final Path directory;

  private TestCertificates(Path directory) {
    this.directory = directory;
  }

  /**
   * Generates a CA, a server and a client certificate and the PKCS#12 stores in {@code dir}
   * (created if missing; existing files of the same names are overwritten).
   *
   * @throws IllegalStateException if {@code openssl} or {@code keytool} is missing or fails (the
   *     message includes its stderr)
   */
  public static TestCertificates generate(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
    TestCertificates certs = new TestCertificates(dir.toAbsolutePath());
    certs.create();
    return certs;
  }

  /** The directory holding every file. */
  public Path directory() {
    return directory;
  }

  /** The CA certificate (PEM), to trust the server and the client certificate. */
  public Path caCert() {
    return directory.resolve("ca.crt");
  }

  /** The CA private key (PEM, PKCS#8, unencrypted), should a test need to sign more. */
  public Path caKey() {
    return directory.resolve("ca.key");
  }

  /**
   * The server certificate (PEM), subject {@code CN=localhost}, subject alternative names {@code
   * IP:127.0.0.1} and {@code DNS:localhost}, extended key usage {@code serverAuth}.
   */
  public Path serverCert() {
    return directory.resolve("server.crt");
  }

  /** The server private key (PEM, PKCS#8, unencrypted). */
  public Path serverKey() {
    return directory.resolve("server.key");
  }

  /**
   * The client certificate (PEM), subject {@code CN=distlock-test-client}, extended key usage
   * {@code clientAuth}.
   */
  public Path clientCert() {
    return directory.resolve("client.crt");
  }

  /** The client private key (PEM, PKCS#8 {@code BEGIN PRIVATE KEY}, unencrypted). */
  public Path clientKey() {
    return directory.resolve("client.key");
  }

  /** A PKCS#12 trust store holding the CA certificate (alias {@code ca}). */
  public Path trustStore() {
    return directory.resolve("truststore.p12");
  }

  /** The trust store's password, {@link #STORE_PASSWORD}. */
  public String trustStorePassword() {
    return STORE_PASSWORD;
  }

  /**
   * A PKCS#12 key store holding the client key with its certificate chain (client certificate,
   * CA; alias {@code client}), for Java clients doing mutual TLS.
   */
  public Path keyStore() {
    return directory.resolve("client.p12");
  }

  /** The key store's password (also the key's), {@link #STORE_PASSWORD}. */
  public String keyStorePassword() {
    return STORE_PASSWORD;
  }

  /** The type of both stores, {@code "PKCS12"}. */
  public String storeType() {
    return "PKCS12";
  }

  /** An {@link SSLContext} that trusts the CA and presents no client certificate. */
  public SSLContext sslContext() {
    return buildSslContext(false);
  }

  /** An {@link SSLContext} that trusts the CA and presents the client certificate. */
  public SSLContext clientSslContext() {
    return buildSslContext(true);
  }

  @Override
  public String toString() {
    return "TestCertificates[" + directory + "]";
  }

  private SSLContext buildSslContext(boolean withClientCertificate) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore()));
      KeyManagerFactory keys = null;
      if (withClientCertificate) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore()), STORE_PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build an SSLContext from " + directory, e);
    }
  }

  private static KeyStore load(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private void create() {
    String openssl = ServerBinaries.find("openssl").toString();
    String keytool = keytool();
    Path reqConfig = directory.resolve("req.cnf");
    Path extensions = directory.resolve("extensions.cnf");
    write(
        reqConfig,
        "[req]",
        "distinguished_name = dn",
        "prompt = no",
        "[dn]",
        "CN = distlock test CA",
        "[v3_ca]",
        "basicConstraints = critical, CA:TRUE",
        "keyUsage = critical, keyCertSign, cRLSign",
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid:always");
    write(
        extensions,
        "[server]",
        "basicConstraints = critical, CA:FALSE",
        "keyUsage = critical, digitalSignature, keyEncipherment",
        "extendedKeyUsage = serverAuth",
        "subjectAltName = IP:127.0.0.1, DNS:localhost",
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid",
        "[client]",
        "basicConstraints = critical, CA:FALSE",
        "keyUsage = critical, digitalSignature, keyEncipherment",
        "extendedKeyUsage = clientAuth",
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid");

    // CA: self-signed.
    Path caRawKey = directory.resolve("ca.key.tmp");
    run(openssl, "genrsa", "-out", caRawKey.toString(), "2048");
    toPkcs8(openssl, caRawKey, caKey());
    run(
        openssl, "req", "-new", "-x509", "-config", reqConfig.toString(), "-extensions", "v3_ca",
        "-key", caKey().toString(), "-sha256", "-days", DAYS, "-set_serial", serial(),
        "-out", caCert().toString());

    issue(openssl, reqConfig, extensions, "server", "/CN=localhost", serverKey(), serverCert());
    issue(
        openssl, reqConfig, extensions, "client", "/CN=distlock-test-client", clientKey(),
        clientCert());

    // Java stores.
    delete(trustStore());
    run(
        keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", caCert().toString(),
        "-keystore", trustStore().toString(), "-storetype", "PKCS12",
        "-storepass", STORE_PASSWORD);
    run(
        openssl, "pkcs12", "-export", "-name", "client", "-inkey", clientKey().toString(),
        "-in", clientCert().toString(), "-certfile", caCert().toString(),
        "-out", keyStore().toString(), "-passout", "pass:" + STORE_PASSWORD);
    delete(caRawKey);
  }

  private void issue(
      String openssl,
      Path reqConfig,
      Path extensions,
      String section,
      String subject,
      Path key,
      Path cert) {
    Path rawKey = directory.resolve(section + ".key.tmp");
    Path csr = directory.resolve(section + ".csr");
    run(openssl, "genrsa", "-out", rawKey.toString(), "2048");
    toPkcs8(openssl, rawKey, key);
    run(
        openssl, "req", "-new", "-config", reqConfig.toString(), "-key", key.toString(),
        "-subj", subject, "-out", csr.toString());
    run(
        openssl, "x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(),
        "-CAkey", caKey().toString(), "-set_serial", serial(), "-days", DAYS, "-sha256",
        "-extfile", extensions.toString(), "-extensions", section, "-out", cert.toString());
    delete(rawKey);
    delete(csr);
  }

  private static void toPkcs8(String openssl, Path in, Path out) {
    run(openssl, "pkcs8", "-topk8", "-nocrypt", "-in", in.toString(), "-out", out.toString());
  }

  private static String keytool() {
    Path javaHomeKeytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (Files.isExecutable(javaHomeKeytool)) {
      return javaHomeKeytool.toString();
    }
    return ServerBinaries.find("keytool").toString();
  }

  private static String serial() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    bytes[0] &= 0x7f; // positive
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static void run(String... command) {
    ExternalCommand.run(new ArrayList<>(List.of(command)), COMMAND_TIMEOUT).stdoutOrThrow();
  }

  private static void write(Path file, String... lines) {
    try {
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + file, e);
    }
  }
}
