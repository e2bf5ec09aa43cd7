package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The key-based API: locks belong to the calling thread and are reentrant with a local count,
 * like {@link java.util.concurrent.locks.ReentrantLock}; other threads cannot unlock them.
 */
public abstract class ReentrancyConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ReentrancyConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Locking twice needs two unlocks: after the first the key is still held.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sameThreadLocksTwiceAndNeedsTwoUnlocks() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.lock(key, longLived());
        LockLease lease = a.currentLease(key).orElseThrow();
        a.lock(key, longLived());
        assertThat(a.currentLease(key)).containsSame(lease);
        assertThat(b.getLockInfo(key).holderCount()).isEqualTo(1);
        a.unlock(key);
        assertThat(b.isLocked(key)).isTrue();
        assertThat(lease.isHeld()).isTrue();
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
        assertThatThrownBy(() -> a.unlock(key)).isInstanceOf(LockNotHeldException.class);
    }

    /**
     * {@code tryLock} by the holding thread re-enters at once, even while others wait.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryLockReentersWithoutWaiting() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        assertThat(a.tryLock(key, longLived())).isTrue();
        assertThat(a.tryLock(key, longLived().toBuilder().retryCount(0).build())).isTrue();
        a.unlock(key);
        assertThat(b.isLocked(key)).isTrue();
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * Another thread's {@code unlock} throws {@link LockNotHeldException} and the lock stays held.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void anotherThreadsUnlockIsRefused() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.lock(key, longLived());
        Throwable refused = inBackground(() -> {
            a.unlock(key);
            return null;
        }).failure(CALL_DEADLINE);
        assertThat(refused).isInstanceOf(LockNotHeldException.class).hasMessageContaining(key);
        Throwable renewRefused = inBackground(() -> {
            a.renew(key, LONG_TTL);
            return null;
        }).failure(CALL_DEADLINE);
        assertThat(renewRefused).isInstanceOf(LockNotHeldException.class);
        assertThat(b.isLocked(key)).isTrue();
        assertThat(a.currentLease(key)).hasValueSatisfying(l -> assertThat(l.isHeld()).isTrue());
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
    }

    /** Unlocking a key that was never locked throws {@link LockNotHeldException}. */
    @Test
    protected void unlockOfANeverLockedKeyIsRefused() {
        DistributedLock a = newClient();
        String key = randomKey();
        assertThatThrownBy(() -> a.unlock(key)).isInstanceOf(LockNotHeldException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> a.renew(key, LONG_TTL)).isInstanceOf(LockNotHeldException.class);
        assertThat(a.currentLease(key)).isEmpty();
    }

    /**
     * Two threads of one client exclude each other: the second waits until the first unlocks.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void twoThreadsOfOneClientExcludeEachOther() throws Exception {
        DistributedLock a = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        a.lock(key, longLived());
        long firstToken = a.currentLease(key).orElseThrow().fencingToken();
        CountDownLatch secondHolds = new CountDownLatch(1);
        CountDownLatch mayUnlock = new CountDownLatch(1);
        BackgroundCall<Long> second = inBackground(() -> {
            a.lock(key, waitingAtMost(CALL_DEADLINE));
            try {
                secondHolds.countDown();
                if (!mayUnlock.await(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("not told to unlock");
                }
                return a.currentLease(key).orElseThrow().fencingToken();
            } finally {
                a.unlock(key);
            }
        });
        assertThroughout(quietPeriod(), "the second thread waits", () -> secondHolds.getCount() == 1);
        long released = System.nanoTime();
        a.unlock(key);
        assertThat(secondHolds.await(HANDOFF_DEADLINE.toNanos(), TimeUnit.NANOSECONDS))
                .as("second thread got the lock within %s of the unlock", HANDOFF_DEADLINE).isTrue();
        assertThat(since(released)).isLessThan(HANDOFF_DEADLINE);
        assertThat(a.currentLease(key)).as("the first thread no longer holds it").isEmpty();
        assertThat(observer.isLocked(key)).isTrue();
        mayUnlock.countDown();
        assertThat(second.result(CALL_DEADLINE)).isGreaterThan(firstToken);
        assertThat(observer.isLocked(key)).isFalse();
    }

    /**
     * {@code currentLease} belongs to the holding thread only.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void currentLeaseBelongsToTheHoldingThread() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        assertThat(a.currentLease(key)).isEmpty();
        a.lock(key, longLived());
        LockLease lease = a.currentLease(key).orElseThrow();
        assertThat(lease.key()).isEqualTo(key);
        assertThat(lease.isHeld()).isTrue();
        assertThat(b.getLockInfo(key).fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(inBackground(() -> a.currentLease(key).isPresent()).result(CALL_DEADLINE)).isFalse();
        a.unlock(key);
        assertThat(a.currentLease(key)).isEmpty();
    }

    /**
     * Re-entering a SHARED hold as EXCLUSIVE is refused (an upgrade would deadlock); the hold is unchanged.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sharedHoldCannotBeReenteredAsExclusive() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.lock(key, sharedLongLived());
        assertThatThrownBy(() -> a.lock(key, longLived()))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("lockType"));
        assertThatThrownBy(() -> a.tryLock(key, longLived())).isInstanceOf(InvalidLockArgumentException.class);
        LockInfo info = b.getLockInfo(key);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.holderCount()).isEqualTo(1);
        a.unlock(key);
        assertThat(b.isLocked(key)).as("one unlock releases: the refused re-entries did not count").isFalse();
    }

    /**
     * A SHARED hold re-entered as SHARED counts like any re-entry and takes no second grant.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sharedHoldCanBeReenteredAsShared() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockOptions shared = sharedLongLived();
        a.lock(key, shared);
        a.lock(key, shared);
        assertThat(b.getLockInfo(key).holderCount()).isEqualTo(1);
        a.unlock(key);
        assertThat(b.isLocked(key)).isTrue();
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * The key-based API and leases are separate owners: a thread's key-based hold does not make a lease reentrant.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void leasesDoNotReenterKeyBasedHolds() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        a.lock(key, longLived());
        assertThat(a.tryAcquire(key, longLived())).isEmpty();
        a.unlock(key);
        assertThat(a.tryAcquire(key, longLived())).hasValueSatisfying(l -> assertThat(l.release()).isTrue());
    }

    /**
     * Re-entry with other options keeps the original lease and its TTL.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void reentryKeepsTheOriginalLease() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        a.lock(key, expiring(Duration.ofSeconds(20)));
        LockLease lease = a.currentLease(key).orElseThrow();
        a.lock(key, longLived());
        assertThat(a.currentLease(key)).containsSame(lease);
        assertThat(lease.ttl()).isLessThan(LONG_TTL);
        a.unlock(key);
        a.unlock(key);
        assertThat(lease.isHeld()).isFalse();
    }
}
