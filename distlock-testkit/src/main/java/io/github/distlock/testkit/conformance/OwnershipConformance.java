package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostException;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Owner-checked release and renew: a released or stale lease, or another client, can never
 * release or extend the current holder's lock.
 */
public abstract class OwnershipConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected OwnershipConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Releasing a released lease returns false and leaves the next holder's lock alone.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void releaseOfAReleasedLeaseSparesTheNewHolder() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        LockLease old = a.acquire(key, longLived());
        assertThat(old.release()).isTrue();
        assertThat(old.release()).isFalse();

        LockLease current = b.acquire(key, longLived());
        assertThat(old.release()).isFalse();
        old.close();
        assertThat(observer.getLockInfo(key).fencingToken()).isEqualTo(current.fencingToken());
        assertThat(observer.tryAcquire(key, longLived())).isEmpty();
        assertThat(current.isHeld()).isTrue();
        assertThat(current.release()).isTrue();
    }

    /**
     * A lease that expired in the store cannot release the lock of whoever took the key next.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void releaseOfAnExpiredLeaseSparesTheNewHolder() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        LockLease stale = a.acquire(key, expiring(ttl));
        LockLease current = b.acquire(key, waitingAtMost(expiryDeadline(ttl).plus(CALL_DEADLINE)));

        assertThat(stale.release()).isFalse();
        LockInfo info = observer.getLockInfo(key);
        assertThat(info.holderCount()).isEqualTo(1);
        assertThat(info.fencingToken()).isEqualTo(current.fencingToken());
        assertThat(current.isHeld()).isTrue();
        assertThat(current.release()).isTrue();
    }

    /**
     * Renewing a lease that expired throws {@link LockLostException} and does not extend the new holder.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void renewOfAnExpiredLeaseThrowsAndSparesTheNewHolder() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        Duration currentTtl = Duration.ofSeconds(10);
        LockLease stale = a.acquire(key, expiring(ttl));
        LockLease current = b.acquire(key, expiring(currentTtl).toBuilder()
                .waitTimeout(expiryDeadline(ttl).plus(CALL_DEADLINE)).build());

        assertThatThrownBy(() -> stale.renew(Duration.ofSeconds(60))).isInstanceOf(LockLostException.class);
        assertThat(stale.isHeld()).isFalse();
        LockInfo info = observer.getLockInfo(key);
        assertThat(info.holderCount()).isEqualTo(1);
        assertThat(info.fencingToken()).isEqualTo(current.fencingToken());
        assertThat(info.remainingTtl()).as("the stale renewal must not have extended the new holder's TTL")
                .isLessThanOrEqualTo(currentTtl.plus(granularity()));
        assertThat(current.release()).isTrue();
    }

    /**
     * Renewing a released lease throws {@link LockNotHeldException}.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void renewOfAReleasedLeaseIsRefused() throws Exception {
        DistributedLock a = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        lease.release();
        assertThatThrownBy(() -> lease.renew(LONG_TTL)).isInstanceOf(LockNotHeldException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(lease::renew).isInstanceOf(LockNotHeldException.class);
        assertThat(observer.isLocked(key)).isFalse();
    }

    /**
     * {@code close()} releases once and may be called again.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void leaseCloseIsIdempotent() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        lease.close();
        lease.close();
        assertThat(lease.release()).isFalse();
        LockLease next = b.acquire(key, longLived());
        lease.close();
        assertThat(a.isLocked(key)).isTrue();
        assertThat(next.release()).isTrue();
    }

    /**
     * Another client's key-based unlock or renew is refused; the holder keeps its lock.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void anotherClientCannotUnlockOrRenewByKey() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = Duration.ofSeconds(10);
        LockLease lease = a.acquire(key, expiring(ttl));
        assertThatThrownBy(() -> b.unlock(key)).isInstanceOf(LockNotHeldException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> b.renew(key, Duration.ofSeconds(60))).isInstanceOf(LockNotHeldException.class);
        assertThat(b.isLocked(key)).isTrue();
        assertThat(b.getLockInfo(key).remainingTtl()).isLessThanOrEqualTo(ttl.plus(granularity()));
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.release()).isTrue();
    }

    /**
     * A lease is not bound to a thread: another thread may release it.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void anotherThreadMayReleaseALease() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        assertThat(inBackground(lease::release).result(CALL_DEADLINE)).isTrue();
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * Releasing one shared holder leaves the other shared holders in place.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sharedReleaseIsOwnerChecked() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease r1 = a.acquire(key, sharedLongLived());
        LockLease r2 = b.acquire(key, sharedLongLived());
        assertThat(r1.release()).isTrue();
        assertThat(r1.release()).isFalse();
        LockInfo info = a.getLockInfo(key);
        assertThat(info.holderCount()).isEqualTo(1);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.fencingToken()).isEqualTo(r2.fencingToken());
        assertThat(r2.isHeld()).isTrue();
        assertThat(r2.release()).isTrue();
        assertThat(a.isLocked(key)).isFalse();
    }
}
