package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.server.RedisServer;
import io.github.distlock.testkit.server.RespConnection;
import io.github.distlock.testkit.server.RespErrorException;
import io.github.distlock.testkit.server.TestCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants on one Redis over TLS, each an ACL user with {@link RedisLockBackend#aclRules}
 * for its own prefix. Tenant A holds an exclusive and a shared lock; tenant B tries to read,
 * release, renew and take them through the public API and through raw commands with its own
 * credentials, and is refused; A's locks are untouched after every test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTenantIsolationIT {

    private static final String A_PASSWORD = "tenant-A-Secret-1";
    private static final String B_PASSWORD = "tenant-B-Secret-2";
    private static final String C_PASSWORD = "tenant-C-Secret-3";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path certDir;
    private static TestCertificates certs;
    private static RedisServer server;
    private static final List<RedisClient> clients = new ArrayList<>();

    private DistributedLock tenantA;
    private LockLease exclusive;
    private LockLease shared;
    private LockInfo exclusiveBefore;
    private LockInfo sharedBefore;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.generate(certDir);
        server = RedisServer.builder().tls(certs, false)
                .aclUser("alice", A_PASSWORD, RedisLockBackend.aclRules("tenantA:").toArray(String[]::new))
                .aclUser("bob", B_PASSWORD, RedisLockBackend.aclRules("tenantB:").toArray(String[]::new))
                .aclUser("carol", C_PASSWORD, RedisLockBackend.aclRules("tenantC:", false).toArray(String[]::new))
                .start();
    }

    @AfterAll
    static void stop() {
        clients.forEach(RedisClient::shutdown);
        if (server != null) {
            server.close();
        }
    }

    /** A TLS client that trusts the test CA, authenticated as {@code user}. */
    private static DistributedLock tenant(String user, String password, String prefix) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withSsl(true).withAuthentication(user, password.toCharArray()).withTimeout(TIMEOUT).build());
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .truststore(certs.trustStore().toFile(), certs.trustStorePassword()).build()).build());
        clients.add(client);
        return DistributedLocks.create(RedisLockBackend.builder().client(client).keyPrefix(prefix).build());
    }

    /** A raw RESP connection over TLS, authenticated as {@code user}. */
    private static RespConnection raw(String user, String password) throws Exception {
        RespConnection c = RespConnection.open(server.host(), server.port(), TIMEOUT, certs.sslContext());
        c.auth(user, password);
        return c;
    }

    @BeforeEach
    void tenantAHoldsTwoLocks() throws Exception {
        tenantA = tenant("alice", A_PASSWORD, "tenantA:");
        exclusive = tenantA.acquire("invoice-42", LockOptions.builder().ttl(Duration.ofSeconds(30)).build());
        shared = tenantA.acquire("report", LockOptions.builder().shared().ttl(Duration.ofSeconds(30)).build());
        exclusiveBefore = tenantA.getLockInfo("invoice-42");
        sharedBefore = tenantA.getLockInfo("report");
    }

    @AfterEach
    void tenantAsLocksAreUntouched() throws Exception {
        try {
            assertThat(exclusive.isHeld()).isTrue();
            assertThat(shared.isHeld()).isTrue();
            LockInfo exclusiveAfter = tenantA.getLockInfo("invoice-42");
            assertThat(exclusiveAfter.held()).isTrue();
            assertThat(exclusiveAfter.fencingToken()).isEqualTo(exclusiveBefore.fencingToken());
            assertThat(exclusiveAfter.holderCount()).isEqualTo(1);
            LockInfo sharedAfter = tenantA.getLockInfo("report");
            assertThat(sharedAfter.holderCount()).isEqualTo(sharedBefore.holderCount());
            exclusive.renew(Duration.ofSeconds(20));
            assertThat(exclusive.release()).isTrue();
            assertThat(shared.release()).isTrue();
        } finally {
            tenantA.close();
        }
    }

    @Test
    void anotherTenantsClientWorksInItsOwnNamespaceOnly() throws Exception {
        try (DistributedLock tenantB = tenant("bob", B_PASSWORD, "tenantB:")) {
            assertThat(tenantB.isLocked("invoice-42")).as("B's 'invoice-42' is B's own lock").isFalse();
            assertThat(tenantB.listLocks("", 100)).isEmpty();
            try (LockLease own = tenantB.tryAcquire("invoice-42").orElseThrow()) {
                assertThat(own.fencingToken()).isNotEqualTo(exclusiveBefore.fencingToken());
                assertThat(tenantA.getLockInfo("invoice-42").fencingToken()).isEqualTo(exclusiveBefore.fencingToken());
            }
        }
    }

    @Test
    void anotherTenantPointedAtThePrefixIsRefusedByThePublicApi() throws Exception {
        try (DistributedLock intruder = tenant("bob", B_PASSWORD, "tenantA:")) {
            SoftAssertions softly = new SoftAssertions();
            expectNoPerm(softly, "tryAcquire", () -> intruder.tryAcquire("invoice-42"));
            expectNoPerm(softly, "tryAcquire shared", () -> intruder.tryAcquire("report", LockOptions.builder().shared().build()));
            expectNoPerm(softly, "acquire", () -> intruder.acquire("invoice-42",
                    LockOptions.builder().waitTimeout(Duration.ofSeconds(1)).build()));
            expectNoPerm(softly, "getLockInfo", () -> intruder.getLockInfo("invoice-42"));
            expectNoPerm(softly, "isLocked", () -> intruder.isLocked("report"));
            expectNoPerm(softly, "listLocks", () -> intruder.listLocks("", 100));
            softly.assertAll();
            // Release and renew need a lease or a hold, which B cannot get.
            assertThatThrownBy(() -> intruder.unlock("invoice-42")).isInstanceOf(LockNotHeldException.class);
            assertThatThrownBy(() -> intruder.renew("invoice-42", Duration.ofSeconds(5))).isInstanceOf(LockNotHeldException.class);
        }
    }

    private static void expectNoPerm(SoftAssertions softly, String what, Callable<?> call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::call);
        softly.assertThat(t).as(what).isInstanceOf(LockBackendException.class);
        if (t != null) {
            softly.assertThat(t.getMessage()).as(what).contains("NOPERM").doesNotContain(B_PASSWORD);
        }
    }

    @Test
    void anotherTenantsRawCommandsOnTheKeysAndChannelsAreRefused() throws Exception {
        String x = "tenantA:{invoice-42}";
        String r = "tenantA:{report}";
        List<String[]> commands = List.of(
                new String[] {"GET", x}, new String[] {"EXISTS", x}, new String[] {"PTTL", x},
                new String[] {"DEL", x}, new String[] {"UNLINK", x}, new String[] {"SET", x, "mine"},
                new String[] {"PEXPIRE", x, "600000"}, new String[] {"PERSIST", x},
                new String[] {"INCR", x + ":f"}, new String[] {"ZRANGE", r + ":r", "0", "-1"},
                new String[] {"ZREM", r + ":r", "anyone"}, new String[] {"HGET", r + ":t", "anyone"},
                new String[] {"EVAL", "return redis.call('DEL', KEYS[1])", "1", x},
                new String[] {"EVAL", "return redis.call('DEL', '" + x + "')", "0"},
                new String[] {"SPUBLISH", x + ":c", "released"},
                new String[] {"SSUBSCRIBE", x + ":c"});
        SoftAssertions softly = new SoftAssertions();
        for (String[] command : commands) {
            try (RespConnection bob = raw("bob", B_PASSWORD)) {
                Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> bob.commandReply(command));
                softly.assertThat(t).as(String.join(" ", command)).isInstanceOf(RespErrorException.class);
                if (t != null) {
                    softly.assertThat(t.getMessage()).as(String.join(" ", command)).containsAnyOf("NOPERM", "can't access");
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void scanShowsOtherTenantsKeyNamesUnlessTheUserMayNotList() throws Exception {
        try (RespConnection bob = raw("bob", B_PASSWORD); RespConnection carol = raw("carol", C_PASSWORD)) {
            // Redis does not filter SCAN by the user's key patterns: names (never values) are visible.
            List<?> page = (List<?>) bob.commandReply("SCAN", "0", "MATCH", "tenantA:*", "COUNT", "1000");
            assertThat(page.get(1)).asList().contains("tenantA:{invoice-42}");
            // aclRules(prefix, false) leaves SCAN out.
            assertThatThrownBy(() -> carol.commandReply("SCAN", "0", "MATCH", "tenantA:*"))
                    .isInstanceOf(RespErrorException.class).hasMessageContaining("NOPERM");
        }
        try (DistributedLock tenantC = tenant("carol", C_PASSWORD, "tenantC:")) {
            try (LockLease lease = tenantC.acquire("job")) {
                assertThat(tenantC.getLockInfo("job").held()).isTrue();
                lease.renew(Duration.ofSeconds(10));
            }
            assertThatThrownBy(() -> tenantC.listLocks("", 10)).isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("NOPERM");
        }
    }
}
