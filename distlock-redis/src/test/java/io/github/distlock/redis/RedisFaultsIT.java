package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockOptions;
import io.github.distlock.LostReason;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server faults against a real redis-server: restart without persistence, pause longer than
 * the TTL, SCRIPT FLUSH, and a server that is down.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisFaultsIT {

    private final RedisServer server = RedisServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private DistributedLock client() {
        return DistributedLocks.open(server.uri(), LockClientOptions.builder()
                .operationTimeout(Duration.ofSeconds(1)).build());
    }

    private static String key() {
        return "fault-" + UUID.randomUUID();
    }

    @Test
    void fencingTokensKeepIncreasingAfterARestartWithoutPersistence() throws Exception {
        String key = key();
        try (DistributedLock locks = client()) {
            long before;
            try (LockLease lease = locks.acquire(key)) {
                before = lease.fencingToken();
            }
            server.restart();
            // The client reconnects by itself; the counter is gone, the server clock floors it.
            LockLease after = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> locks.acquire(key), l -> l != null);
            assertThat(after.fencingToken()).isGreaterThan(before);
            assertThat(server.command("EXISTS", "lock:{" + key + "}:f")).isEqualTo("1");
            after.release();
        }
    }

    @Test
    void fencingTokensKeepIncreasingAfterARestartFromAnOlderSnapshot() throws Exception {
        // What a failover to a replica that missed the last grants looks like: the counter goes
        // back to an older value. INCR alone would hand the lost tokens out a second time.
        String key = key();
        try (DistributedLock locks = client()) {
            try (LockLease first = locks.acquire(key)) {
                assertThat(first.fencingToken()).isPositive();
            }
            server.command("SAVE");
            long newest = 0;
            for (int i = 0; i < 20; i++) {
                try (LockLease lease = locks.acquire(key)) {
                    newest = lease.fencingToken();
                }
            }
            server.restart();
            assertThat(server.command("EXISTS", "lock:{" + key + "}:f")).as("the snapshot's counter is back").isEqualTo("1");
            long last = newest;
            LockLease after = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> locks.acquire(key), l -> l != null);
            assertThat(after.fencingToken()).isGreaterThan(last);
            after.release();
        }
    }

    @Test
    void holderPausedServerLongerThanTtlLearnsItLostTheLockAndAnotherClientGetsIt() throws Exception {
        String key = key();
        try (DistributedLock holder = client(); DistributedLock other = client()) {
            LockLease lease = holder.acquire(key, LockOptions.builder().ttl(Duration.ofMillis(800)).build());
            server.pause();
            try {
                LockLoss loss = lease.lost().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(loss.reason()).isIn(LostReason.RENEWAL_FAILED, LostReason.EXPIRED);
                assertThat(lease.isHeld()).isFalse();
            } finally {
                server.resume();
            }
            Optional<LockLease> taken = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> other.tryAcquire(key), Optional::isPresent);
            assertThat(taken.get().fencingToken()).isGreaterThan(lease.fencingToken());
            assertThat(lease.release()).isFalse();
            assertThat(other.isLocked(key)).isTrue();
        }
    }

    @Test
    void scriptFlushWhileInUseIsTransparent() throws Exception {
        String key = key();
        try (DistributedLock locks = client(); DistributedLock other = client()) {
            LockLease lease = locks.acquire(key);
            assertThat(server.command("SCRIPT", "FLUSH")).isEqualTo("OK");
            assertThat(other.tryAcquire(key)).isEmpty();
            lease.renew(Duration.ofSeconds(20));
            assertThat(other.getLockInfo(key).remainingTtl()).isGreaterThan(Duration.ofSeconds(15));
            server.command("SCRIPT", "FLUSH");
            assertThat(lease.release()).isTrue();
            server.command("SCRIPT", "FLUSH");
            assertThat(other.tryAcquire(key)).isPresent();
        }
    }

    @Test
    void callsToAStoppedServerFailWithinTheDeadlineAndRecoverAfterRestart() throws Exception {
        String key = key();
        try (DistributedLock locks = client()) {
            server.stop();
            long start = System.nanoTime();
            assertThatThrownBy(() -> locks.tryAcquire(key))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("redis")
                    .hasMessageContaining(key);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            server.restart();
            Optional<LockLease> lease = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> locks.tryAcquire(key), Optional::isPresent);
            lease.get().release();
        }
    }

    @Test
    void callsToAPausedServerFailWithinTheDeadline() throws Exception {
        try (DistributedLock locks = client()) {
            locks.isLocked(key()); // connected
            server.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> locks.isLocked(key())).isInstanceOf(LockBackendException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void openingOnAPausedServerFailsWithinTheOperationTimeout() {
        server.pause();
        try {
            long start = System.nanoTime();
            // The URI sets no timeout: the client's operation timeout (1 s) bounds the handshake too.
            assertThatThrownBy(this::client).isInstanceOf(LockBackendException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        } finally {
            server.resume();
        }
    }
}
