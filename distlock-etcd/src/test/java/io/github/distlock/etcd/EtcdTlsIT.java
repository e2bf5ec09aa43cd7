package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.LockLease;
import io.grpc.netty.GrpcSslContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS with client certificates generated at test time. */
class EtcdTlsIT {

    private static TlsEtcd etcd;

    @BeforeAll
    static void start() throws Exception {
        etcd = TlsEtcd.start();
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void etcdsUriWithClientCertificate() throws Exception {
        String uri = "etcds://127.0.0.1:" + etcd.clientPort() + "?strategy=mutex&cacert=" + etcd.file("ca.pem")
                + "&cert=" + etcd.file("client.pem") + "&key=" + etcd.file("client-key.pem");
        try (DistributedLock a = DistributedLocks.open(uri); DistributedLock b = DistributedLocks.open(uri)) {
            LockLease lease = a.acquire("tls");
            assertThat(b.tryAcquire("tls")).isEmpty();
            lease.release();
            assertThat(b.tryAcquire("tls")).isPresent();
        }
    }

    @Test
    void jetcdClientBuilderWithSslContext() throws Exception {
        var ssl = GrpcSslContexts.forClient().trustManager(etcd.file("ca.pem").toFile())
                .keyManager(etcd.file("client.pem").toFile(), etcd.file("client-key.pem").toFile()).build();
        EtcdLockBackend backend = EtcdLockBackend.builder()
                .clientBuilder(Client.builder().endpoints("https://127.0.0.1:" + etcd.clientPort()).sslContext(ssl))
                .strategy(EtcdLockStrategy.TXN)
                .build();
        try (DistributedLock locks = DistributedLocks.create(backend)) {
            try (LockLease lease = locks.acquire("tls-builder")) {
                assertThat(locks.isLocked("tls-builder")).isTrue();
                assertThat(lease.fencingToken()).isPositive();
            }
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefusesAndTheCallFails() {
        String uri = "etcds://127.0.0.1:" + etcd.clientPort() + "?cacert=" + etcd.file("ca.pem");
        LockClientOptions fast = LockClientOptions.builder().operationTimeout(TlsEtcd.timeout()).build();
        try (DistributedLock locks = DistributedLocks.open(uri, fast)) {
            assertThatThrownBy(() -> locks.tryAcquire("tls")).isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("TLS handshake with etcd failed: the server refused the client certificate, or"
                            + " the client has none (check cert and key)");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsNotTrusted() {
        String uri = "etcds://127.0.0.1:" + etcd.clientPort() + "?cacert=" + etcd.file("client.pem")
                + "&cert=" + etcd.file("client.pem") + "&key=" + etcd.file("client-key.pem");
        LockClientOptions fast = LockClientOptions.builder().operationTimeout(TlsEtcd.timeout()).build();
        try (DistributedLock locks = DistributedLocks.open(uri, fast)) {
            assertThatThrownBy(() -> locks.tryAcquire("tls")).isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("TLS handshake with etcd failed: the server's certificate is not signed by a CA"
                            + " this client trusts (check cacert)");
        }
    }

    @Test
    void plainUriForATlsPort() {
        LockClientOptions fast = LockClientOptions.builder().operationTimeout(TlsEtcd.timeout()).build();
        try (DistributedLock locks = DistributedLocks.open("etcd://127.0.0.1:" + etcd.clientPort(), fast)) {
            // gRPC reports the server dropping the plain connection in one of two ways, by timing
            assertThatThrownBy(() -> locks.tryAcquire("tls")).isInstanceOf(LockBackendException.class)
                    .satisfiesAnyOf(
                            e -> assertThat(e).hasMessageContaining("(the server closed the connection: if it serves TLS, use etcds://)"),
                            e -> assertThat(e).hasMessageContaining("Connection reset (the server reset the connection: check that"
                                    + " etcd:// or etcds:// matches what the port serves)"));
        }
    }

    @Test
    void clientKeyThatIsNotAPkcs8PemKeyIsAConfigurationError() {
        String uri = "etcds://127.0.0.1:" + etcd.clientPort() + "?cacert=" + etcd.file("ca.pem")
                + "&cert=" + etcd.file("client.pem") + "&key=" + etcd.file("client.pem");
        assertThatThrownBy(() -> DistributedLocks.open(uri)).isInstanceOf(LockConfigurationException.class)
                .hasMessageStartingWith("cannot set up TLS for etcd from cacert=" + etcd.file("ca.pem"))
                .hasMessageContaining("(certificates must be PEM, the key PKCS#8 PEM): File does not contain valid private"
                        + " key: " + etcd.file("client.pem"));
    }
}
