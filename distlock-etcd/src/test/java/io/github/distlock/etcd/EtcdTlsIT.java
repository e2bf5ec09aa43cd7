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
import io.github.distlock.testkit.junit.ClassResource;
import io.grpc.netty.GrpcSslContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS with client certificates generated at test time. */
class EtcdTlsIT {

    @RegisterExtension
    static final ClassResource<TlsEtcd> ETCD = ClassResource.of(TlsEtcd::start);

    @Test
    void etcdsUriWithClientCertificate() throws Exception {
        String uri = "etcds://127.0.0.1:" + ETCD.get().clientPort() + "?strategy=mutex&cacert=" + ETCD.get().file("ca.pem")
                + "&cert=" + ETCD.get().file("client.pem") + "&key=" + ETCD.get().file("client-key.pem");
        try (DistributedLock a = DistributedLocks.open(uri); DistributedLock b = DistributedLocks.open(uri)) {
            LockLease lease = a.acquire("tls");
            assertThat(b.tryAcquire("tls")).isEmpty();
            lease.release();
            assertThat(b.tryAcquire("tls")).isPresent();
        }
    }

    @Test
    void jetcdClientBuilderWithSslContext() throws Exception {
        var ssl = GrpcSslContexts.forClient().trustManager(ETCD.get().file("ca.pem").toFile())
                .keyManager(ETCD.get().file("client.pem").toFile(), ETCD.get().file("client-key.pem").toFile()).build();
        EtcdLockBackend backend = EtcdLockBackend.builder()
                .clientBuilder(Client.builder().endpoints("https://127.0.0.1:" + ETCD.get().clientPort()).sslContext(ssl))
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
        String uri = "etcds://127.0.0.1:" + ETCD.get().clientPort() + "?cacert=" + ETCD.get().file("ca.pem");
        LockClientOptions fast = LockClientOptions.builder().operationTimeout(TlsEtcd.timeout()).build();
        try (DistributedLock locks = DistributedLocks.open(uri, fast)) {
            assertThatThrownBy(() -> locks.tryAcquire("tls")).isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("TLS handshake with etcd failed: the server refused the client certificate, or"
                            + " the client has none (check cert and key)");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsNotTrusted() {
        String uri = "etcds://127.0.0.1:" + ETCD.get().clientPort() + "?cacert=" + ETCD.get().file("client.pem")
                + "&cert=" + ETCD.get().file("client.pem") + "&key=" + ETCD.get().file("client-key.pem");
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
        try (DistributedLock locks = DistributedLocks.open("etcd://127.0.0.1:" + ETCD.get().clientPort(), fast)) {
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
        String uri = "etcds://127.0.0.1:" + ETCD.get().clientPort() + "?cacert=" + ETCD.get().file("ca.pem")
                + "&cert=" + ETCD.get().file("client.pem") + "&key=" + ETCD.get().file("client.pem");
        assertThatThrownBy(() -> DistributedLocks.open(uri)).isInstanceOf(LockConfigurationException.class)
                .hasMessageStartingWith("cannot set up TLS for etcd from cacert=" + ETCD.get().file("ca.pem"))
                .hasMessageContaining("(certificates must be PEM, the key PKCS#8 PEM): File does not contain valid private"
                        + " key: " + ETCD.get().file("client.pem"));
    }
}
