package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watchdog: locks taken with {@code autoRenew(true)} stay held across many TTLs while the
 * client lives, and stop being renewed once released.
 */
public abstract class WatchdogConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected WatchdogConformance(ConformanceContext context) {
        super(context);
    }

    private LockOptions watched() {
        return LockOptions.builder().ttl(watchdogTtl()).autoRenew(true).build();
    }

    /**
     * An auto-renewed lease with a short TTL stays held across several TTLs; others are refused all along.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void watchdogKeepsALeaseAcrossSeveralTtls() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = watchdogTtl();
        LockLease lease = a.acquire(key, watched());
        assertThroughout(ttl.multipliedBy(2), "lease held and another client refused",
                () -> lease.isHeld() && b.tryAcquire(key, longLived()).map(LockLease::release).isEmpty());
        assertThat(lease.lost().toCompletableFuture()).isNotDone();
        assertThat(b.getLockInfo(key).fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(lease.release()).as("still owned in the store").isTrue();
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * The key-based lock is renewed by the watchdog too; its unlock succeeds after several TTLs.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void watchdogKeepsAKeyBasedLockAcrossSeveralTtls() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = watchdogTtl();
        a.lock(key, watched());
        LockLease lease = a.currentLease(key).orElseThrow();
        assertThroughout(ttl.multipliedBy(2), "another client sees it held", () -> b.isLocked(key) && lease.isHeld());
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * Many auto-renewed locks of one client are all kept alive.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void watchdogKeepsManyLocksAlive() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        Duration ttl = watchdogTtl();
        List<LockLease> leases = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            leases.add(a.acquire(randomKey(), watched()));
        }
        assertThroughout(ttl.multipliedBy(2), "every lease held", () -> leases.stream().allMatch(LockLease::isHeld));
        for (LockLease lease : leases) {
            assertThat(b.isLocked(lease.key())).as(lease.key()).isTrue();
            assertThat(lease.release()).as(lease.key()).isTrue();
            assertThat(b.isLocked(lease.key())).as(lease.key()).isFalse();
        }
    }

    /**
     * After release the watchdog does not renew (or re-create) the lock, and the lease is not reported lost.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void releasedLeaseIsNoLongerRenewed() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        LockLease lease = a.acquire(key, watched());
        assertThat(lease.release()).isTrue();
        LockLease next = b.acquire(key, expiring(ttl));
        assertThroughout(ttl.dividedBy(2), "the new holder keeps it",
                () -> next.isHeld() && !lease.lost().toCompletableFuture().isDone());
        await(expiryDeadline(ttl)).until(() -> !a.isLocked(key));
        assertThat(lease.lost().toCompletableFuture()).as("a released lease is never reported lost").isNotDone();
    }
}
