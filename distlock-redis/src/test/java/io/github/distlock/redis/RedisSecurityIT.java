package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.DistributedLockException;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.server.RedisServer;
import io.github.distlock.testkit.server.TestCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS (certificates generated at test time) and a least-privilege ACL user. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSecurityIT {

    private static final String PASSWORD = "acl-Secret-77";

    @TempDir
    Path certDir;

    @Test
    void tlsWithClientCertificatesThroughABorrowedClient() throws Exception {
        TestCertificates certs = TestCertificates.generate(certDir);
        try (RedisServer server = RedisServer.builder().tls(certs, true).start()) {
            assertThat(server.uri()).startsWith("rediss://");
            RedisClient client = RedisClient.create(RedisURI.create(server.uri()));
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                    .truststore(certs.trustStore().toFile(), certs.trustStorePassword())
                    .keystore(certs.keyStore().toFile(), certs.keyStorePassword().toCharArray())
                    .build()).build());
            try (DistributedLock a = DistributedLocks.create(RedisLockBackend.builder().client(client).build());
                    DistributedLock b = DistributedLocks.create(RedisLockBackend.builder().client(client).build())) {
                String key = "tls-" + UUID.randomUUID();
                LockLease lease = a.acquire(key);
                assertThat(b.tryAcquire(key)).isEmpty();
                var waiting = b.acquireAsync(key, LockOptions.defaults());
                lease.release();
                waiting.get(10, TimeUnit.SECONDS).release();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void tlsServerRefusesAClientThatDoesNotTrustItWithAClearError() throws Exception {
        TestCertificates certs = TestCertificates.generate(certDir);
        try (RedisServer server = RedisServer.builder().tls(certs, false).start()) {
            // The JVM's default trust store does not know the test CA.
            assertThatThrownBy(() -> DistributedLocks.open(server.uri()))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageStartingWith("redis: could not connect to " + server.uri() + ": TLS handshake failed: the"
                            + " server's certificate is not signed by a CA this client trusts (PKIX path building failed");
            // Plain TCP to a TLS port fails too.
            assertThatThrownBy(() -> DistributedLocks.open("redis://" + server.host() + ":" + server.port() + "?timeout=2s"))
                    .isInstanceOf(LockBackendException.class);
        }
    }

    @Test
    void aclUserWithTheDocumentedRulesCanLockAndIsConfinedToItsPrefix() throws Exception {
        List<String> rules = new ArrayList<>(RedisLockBackend.aclRules("app1:"));
        try (RedisServer server = RedisServer.builder().aclUser("locker", PASSWORD, rules.toArray(String[]::new)).start()) {
            String uri = "redis://locker:" + PASSWORD + "@" + server.host() + ":" + server.port();
            String key = "acl-" + UUID.randomUUID();
            try (DistributedLock a = DistributedLocks.open(uri + "?prefix=app1:");
                    DistributedLock b = DistributedLocks.open(uri + "?prefix=app1:")) {
                LockLease lease = a.acquire(key);
                assertThat(b.tryAcquire(key)).isEmpty();
                var waiting = b.acquireAsync(key, LockOptions.defaults());
                lease.renew(java.time.Duration.ofSeconds(10));
                assertThat(a.getLockInfo(key).held()).isTrue();
                assertThat(a.listLocks("acl-", 10)).hasSize(1);
                lease.release();
                waiting.get(10, TimeUnit.SECONDS).release();
                LockLease shared = a.acquire(key, LockOptions.builder().shared().build());
                shared.release();
            }
            // The same user outside its prefix: refused by Redis, with a clear error.
            try (DistributedLock outside = DistributedLocks.open(uri + "?prefix=app2:")) {
                assertThatThrownBy(() -> outside.tryAcquire(key))
                        .isInstanceOf(DistributedLockException.class)
                        .hasMessageContaining("NOPERM")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
            }
            // A wrong password fails fast without the secret in the message.
            assertThatThrownBy(() -> DistributedLocks.open("redis://locker:wrong-" + PASSWORD + "@" + server.host() + ":" + server.port()))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("authentication")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
