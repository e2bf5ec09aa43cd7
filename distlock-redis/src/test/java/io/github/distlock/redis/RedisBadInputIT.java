package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.testkit.server.RedisServer;
import io.github.distlock.testkit.server.TestCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of {@code docs/bad-input.md} that need a Redis server: bad hosts, users, databases and
 * TLS mismatches. Each gets a {@link LockBackendException} at {@code open} that says what is
 * wrong, within the URI's timeout, without the password. Two servers for the class: a plain one
 * with a password and an ACL user, and a TLS one that requires client certificates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBadInputIT {

    private static final String PASSWORD = "bad-Input-Secret-3";
    @TempDir
    static Path certDir;
    private static TestCertificates certs;
    private static RedisServer plain;
    private static RedisServer tls;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.generate(certDir);
        plain = RedisServer.builder().arg("--requirepass", PASSWORD)
                .aclUser("alice", PASSWORD, RedisLockBackend.aclRules("app:").toArray(String[]::new)).start();
        tls = RedisServer.builder().tls(certs, true).start();
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    private static String hostPort(RedisServer server) {
        return server.host() + ":" + server.port();
    }

    @Test
    void hostNameThatDoesNotResolve() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://:" + PASSWORD + "@no-such-host.invalid:6379"))
                .isInstanceOf(LockBackendException.class)
                .hasMessageStartingWith("redis: could not connect to redis://***@no-such-host.invalid: Unable to connect to"
                        + " no-such-host.invalid:6379 (")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void unknownAclUser() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://mallory:" + PASSWORD + "@" + hostPort(plain)))
                .isInstanceOf(LockBackendException.class)
                .hasMessage("redis: authentication to redis://mallory:***@" + hostPort(plain) + " failed: wrong user name"
                        + " or password (the server answered WRONGPASS/NOAUTH)");
    }

    @Test
    void databaseOutOfRange() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://:" + PASSWORD + "@" + hostPort(plain) + "/99"))
                .isInstanceOf(LockBackendException.class)
                .hasMessage("redis: could not connect to redis://***@" + hostPort(plain) + "/99: Unable to connect to "
                        + hostPort(plain) + " (ERR DB index is out of range)");
    }

    @Test
    void clusterUriForAServerThatIsNotACluster() {
        assertThatThrownBy(() -> DistributedLocks.open("redis-cluster://:" + PASSWORD + "@" + hostPort(plain)))
                .isInstanceOf(LockBackendException.class)
                .hasMessageStartingWith("redis: could not connect to redis-cluster [" + hostPort(plain) + "]: Unable to"
                        + " establish a connection to Redis Cluster (")
                .hasMessageContaining("ERR This instance has cluster support disabled")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void keyPrefixOutsideTheAclUsersKeys() {
        try (DistributedLock locks = DistributedLocks.open("redis://alice:" + PASSWORD + "@" + hostPort(plain) + "?prefix=other:")) {
            assertThatThrownBy(() -> locks.tryAcquire("k"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessage("redis: acquire failed: NOPERM this user has no permissions to access one of the keys used"
                            + " as arguments (key 'k')");
        }
    }

    @Test
    void listPrefixWithGlobCharactersIsTakenLiterally() throws Exception {
        try (DistributedLock locks = DistributedLocks.open("redis://:" + PASSWORD + "@" + hostPort(plain))) {
            LockLease star = locks.acquire("glob*a");
            LockLease question = locks.acquire("glob?b");
            LockLease bracket = locks.acquire("glob[c]");
            assertThat(locks.listLocks("glob*", 10)).extracting(LockInfo::key).containsExactly("glob*a");
            assertThat(locks.listLocks("glob[", 10)).extracting(LockInfo::key).containsExactly("glob[c]");
            assertThat(locks.listLocks("glob", 10)).extracting(LockInfo::key).containsExactly("glob*a", "glob?b", "glob[c]");
            for (LockLease l : List.of(star, question, bracket)) {
                l.release();
            }
        }
    }

    @Test
    void tlsUriForAPlainPort() {
        assertThatThrownBy(() -> DistributedLocks.open("rediss://:" + PASSWORD + "@" + hostPort(plain) + "?timeout=1s"))
                .isInstanceOf(LockBackendException.class)
                .hasMessage("redis: could not connect to rediss://***@" + hostPort(plain) + "?timeout=1s: Unable to"
                        + " connect to " + hostPort(plain) + " (Connection initialization timed out after 1 second(s));"
                        + " the server never answered the TLS handshake: is this port serving TLS?");
    }

    @Test
    void plainUriForATlsPort() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://" + hostPort(tls) + "?timeout=2s"))
                .isInstanceOf(LockBackendException.class)
                .hasMessageStartingWith("redis: could not connect to redis://" + hostPort(tls) + "?timeout=2s: Unable to"
                        + " connect to " + hostPort(tls))
                .hasMessageEndingWith("; the server closed the connection: if it serves TLS, use rediss://");
    }

    @Test
    void tlsWithoutTheClientCertificateTheServerRequires() {
        RedisClient client = RedisClient.create(RedisURI.create(tls.uri() + "?timeout=2s"));
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .truststore(certs.trustStore().toFile(), certs.trustStorePassword()).build()).build());
        try {
            assertThatThrownBy(() -> DistributedLocks.create(RedisLockBackend.builder().client(client).build()))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessage("redis: could not connect to redis (borrowed client): TLS handshake failed: the server"
                            + " refused the client certificate, or the client has none (Received fatal alert:"
                            + " certificate_required)");
        } finally {
            client.shutdown();
        }
    }
}
