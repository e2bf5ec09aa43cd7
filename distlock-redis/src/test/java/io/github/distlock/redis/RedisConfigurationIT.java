package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.LockLease;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Configuration forms, key layout and authentication against a real redis-server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisConfigurationIT {

    private static final String PASSWORD = "s3cret-Pa55";
    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);
    @RegisterExtension
    static final ClassResource<RedisServer> SECURED = ClassResource.of(
            () -> RedisServer.builder().arg("--requirepass", PASSWORD).start());

    @Test
    void prefixFromTheUriIsUsedForEveryKey() throws Exception {
        String key = "cfg-" + UUID.randomUUID();
        try (DistributedLock locks = DistributedLocks.open(SERVER.get().uri() + "?prefix=app1:")) {
            try (LockLease lease = locks.acquire(key)) {
                assertThat(SERVER.get().command("EXISTS", "app1:{" + key + "}")).isEqualTo("1");
                assertThat(SERVER.get().command("EXISTS", "lock:{" + key + "}")).isEqualTo("0");
            }
        }
    }

    @Test
    void differentPrefixesDoNotInterfere() throws Exception {
        String key = "cfg-" + UUID.randomUUID();
        try (DistributedLock a = DistributedLocks.open(SERVER.get().uri() + "?prefix=tenantA:");
                DistributedLock b = DistributedLocks.open(SERVER.get().uri() + "?prefix=tenantB:")) {
            LockLease la = a.acquire(key);
            assertThat(b.tryAcquire(key)).isPresent();
            la.release();
        }
    }

    @Test
    void keysWithBracesStayInOneHashTagAndRoundTrip() throws Exception {
        String key = "orders}{42%";
        try (DistributedLock a = DistributedLocks.open(SERVER.get().uri()); DistributedLock b = DistributedLocks.open(SERVER.get().uri())) {
            LockLease lease = a.acquire(key);
            assertThat(b.tryAcquire(key)).isEmpty();
            assertThat(SERVER.get().command("EXISTS", "lock:{orders%7D%7B42%25}")).isEqualTo("1");
            assertThat(b.getLockInfo(key).held()).isTrue();
            lease.release();
            assertThat(b.isLocked(key)).isFalse();
        }
    }

    @Test
    void borrowedClientIsNotClosed() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create(SERVER.get().uri()));
        try {
            try (DistributedLock locks = DistributedLocks.create(RedisLockBackend.builder().client(client).build())) {
                locks.acquire("cfg-" + UUID.randomUUID()).release();
            }
            // Still usable after the lock client closed.
            try (var connection = client.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisUriWithPasswordWorks() throws Exception {
        RedisURI uri = RedisURI.builder().withHost(SECURED.get().host()).withPort(SECURED.get().port())
                .withPassword(PASSWORD.toCharArray()).build();
        try (DistributedLock locks = DistributedLocks.create(RedisLockBackend.builder().redisUri(uri).build())) {
            locks.acquire("cfg-" + UUID.randomUUID()).release();
        }
    }

    @Test
    void wrongPasswordFailsFastWithAClearMessageWithoutTheSecret() {
        String wrong = "not-the-Password-123";
        String uri = "redis://:" + wrong + "@" + SECURED.get().host() + ":" + SECURED.get().port();
        assertThatThrownBy(() -> DistributedLocks.open(uri))
                .isInstanceOf(LockBackendException.class)
                .hasMessageContaining("authentication")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong).doesNotContain(PASSWORD));
    }

    @Test
    void missingPasswordFailsWithAClearMessage() {
        assertThatThrownBy(() -> DistributedLocks.open(SECURED.get().uri()))
                .isInstanceOf(LockBackendException.class)
                .hasMessageContaining("authentication");
    }

    @Test
    void unreachableServerFailsWithAClearMessage() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://:hidden-pw@127.0.0.1:1"))
                .isInstanceOf(LockBackendException.class)
                .hasMessage("redis: could not connect to redis://***@127.0.0.1:1: Unable to connect to 127.0.0.1:1"
                        + " (Connection refused)")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain("hidden-pw"));
    }

    @Test
    void badUrisAndOptionsAreRejectedWithTheParameterNamed() {
        assertThatThrownBy(() -> DistributedLocks.open("redis://:pw@127.0.0.1:notaport"))
                .isInstanceOf(LockConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(":pw@"));
        assertThatThrownBy(() -> RedisLockBackend.builder().keyPrefix("a{b"))
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> RedisLockBackend.builder().build())
                .isInstanceOf(InvalidLockArgumentException.class);
        assertThatThrownBy(() -> RedisLockBackend.builder().commandTimeout(java.time.Duration.ZERO))
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining("commandTimeout");
    }

    private static String fullText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
