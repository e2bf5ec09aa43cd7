package io.github.distlock.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockLostException;
import io.github.distlock.LockOptions;
import io.github.distlock.LostReason;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients over an in-memory store whose clock the test moves: store-side expiry seen through the
 * public API, where the conformance suite (real time) cannot reach exactly.
 */
class InMemoryClientClockTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final InMemoryLockStore store = new InMemoryLockStore(clock);
    private final DistributedLock a = DistributedLocks.create(new InMemoryLockBackend(store));
    private final DistributedLock b = DistributedLocks.create(new InMemoryLockBackend(store));
    private final String key = "k-" + UUID.randomUUID();
    private final LockOptions expiring = LockOptions.builder().ttl(TTL).autoRenew(false).build();

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void aReleaseThatTheStoreNoLongerListsIsReportedAsALossNotARelease() throws Exception {
        java.util.List<io.github.distlock.LockEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DistributedLock observed = DistributedLocks.create(new InMemoryLockBackend(store),
                io.github.distlock.LockClientOptions.builder().eventListener(events::add).build())) {
            LockLease lease = observed.acquire(key, expiring);
            clock.advance(TTL);
            assertThat(lease.release()).isFalse();
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).isInstanceOfSatisfying(io.github.distlock.LockLostEvent.class,
                    lost -> assertThat(lost.reason()).isEqualTo(LostReason.NOT_OWNER));
        }
    }

    @Test
    void storeExpiryMakesTheOldLeaseStaleAndSparesTheNewHolder() throws Exception {
        LockLease old = a.acquire(key, expiring);
        clock.advance(TTL.minusMillis(1));
        assertThat(b.tryAcquire(key, expiring)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        LockLease current = b.tryAcquire(key, expiring).orElseThrow();

        // The old holder's local clock has not run out, but the store no longer lists it.
        assertThat(old.isHeld()).isTrue();
        assertThatThrownBy(() -> old.renew(TTL)).isInstanceOf(LockLostException.class);
        LockLoss loss = old.lost().toCompletableFuture().getNow(null);
        assertThat(loss).isNotNull();
        assertThat(loss.reason()).isEqualTo(LostReason.NOT_OWNER);
        assertThat(old.isHeld()).isFalse();
        assertThat(old.release()).isFalse();

        assertThat(a.getLockInfo(key).fencingToken()).isEqualTo(current.fencingToken());
        assertThat(a.getLockInfo(key).remainingTtl()).isEqualTo(TTL);
        assertThat(current.release()).isTrue();
    }

    @Test
    void remainingTtlFollowsTheStoreClock() throws Exception {
        a.acquire(key, expiring);
        clock.advance(Duration.ofSeconds(3));
        assertThat(b.getLockInfo(key).remainingTtl()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void renewalMovesTheStoreExpiry() throws Exception {
        LockLease lease = a.acquire(key, expiring);
        clock.advance(Duration.ofSeconds(8));
        lease.renew(TTL);
        clock.advance(Duration.ofSeconds(8));
        assertThat(b.tryAcquire(key, expiring)).isEmpty();
        assertThat(b.getLockInfo(key).remainingTtl()).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(b.isLocked(key)).isFalse();
    }

    @Test
    void keyBasedUnlockAfterStoreExpiryReportsTheLoss() throws Exception {
        a.lock(key, expiring);
        clock.advance(TTL);
        b.tryAcquire(key, expiring).orElseThrow();
        assertThatThrownBy(() -> a.unlock(key)).isInstanceOf(LockLostException.class);
        assertThat(b.isLocked(key)).as("the new holder keeps the key").isTrue();
    }
}
