package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.AutoRenewal;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostException;
import io.github.distlock.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Explicit renewal: {@code renew(ttl)} on leases and keys, and {@link LockService#autoRenew}.
 */
public abstract class RenewalConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected RenewalConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Renewing every half TTL keeps a non-auto-renewed lock held well past its first TTL.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void manualRenewKeepsTheLockPastItsTtl() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        long start = System.nanoTime();
        LockLease lease = a.acquire(key, expiring(ttl));
        Instant firstExpiry = lease.expiresAt();
        for (int i = 0; i < 4; i++) {
            assertThroughout(ttl.dividedBy(2), "another client sees the lock held", () -> b.isLocked(key));
            lease.renew(ttl);
        }
        assertThat(since(start)).isGreaterThanOrEqualTo(ttl.multipliedBy(2));
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.expiresAt()).isAfter(firstExpiry);
        assertThat(lease.lost().toCompletableFuture()).isNotDone();
        assertThat(b.tryAcquire(key, longLived())).isEmpty();
        assertThat(lease.release()).isTrue();
    }

    /**
     * Renewing with a longer TTL extends the TTL in the store.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void renewWithALongerTtlExtendsTheStoreTtl() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, expiring(Duration.ofSeconds(5)));
        lease.renew(Duration.ofSeconds(60));
        assertThat(lease.ttl()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(60).plus(granularity()));
        assertThat(b.getLockInfo(key).remainingTtl()).isGreaterThan(Duration.ofSeconds(30));
        assertThat(lease.release()).isTrue();
    }

    /**
     * {@code renew()} without arguments renews by the current TTL.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void renewWithoutArgumentsUsesTheCurrentTtl() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        Duration ttl = Duration.ofSeconds(20);
        LockLease lease = a.acquire(key, expiring(ttl));
        Instant before = lease.expiresAt();
        lease.renew();
        assertThat(lease.ttl()).isBetween(ttl, ttl.plus(granularity()));
        assertThat(lease.expiresAt()).isAfterOrEqualTo(before);
        assertThat(lease.isHeld()).isTrue();
        lease.release();
    }

    /**
     * {@code renewAsync} extends the lease without blocking.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void renewAsyncExtendsTheLease() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, expiring(Duration.ofSeconds(5)));
        lease.renewAsync(Duration.ofSeconds(60)).get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(b.getLockInfo(key).remainingTtl()).isGreaterThan(Duration.ofSeconds(30));
        lease.release();
    }

    /**
     * The key-based {@code renew(key, ttl)} extends the calling thread's lock.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyBasedRenewExtendsTheCallingThreadsLock() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.lock(key, expiring(Duration.ofSeconds(5)));
        a.renew(key, Duration.ofSeconds(60));
        assertThat(b.getLockInfo(key).remainingTtl()).isGreaterThan(Duration.ofSeconds(30));
        assertThat(a.currentLease(key).orElseThrow().ttl()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        a.unlock(key);
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * {@link LockService#autoRenew} keeps a lock taken without the watchdog alive across several
     * TTLs; once stopped, the lock expires and the holder's unlock reports the loss.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void lockServiceAutoRenewKeepsALockAliveAcrossSeveralTtls() throws Exception {
        LockService service = context().newService();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        service.lock().lock(key, expiring(ttl));
        LockLease lease = service.lock().currentLease(key).orElseThrow();
        AutoRenewal renewal = service.autoRenew(key, ttl.dividedBy(3));
        assertThat(renewal.isActive()).isTrue();
        assertThroughout(ttl.multipliedBy(3), "the auto-renewed lock stays held",
                () -> b.isLocked(key) && lease.isHeld());
        assertThat(renewal.lost().toCompletableFuture()).isNotDone();

        renewal.stop();
        assertThat(renewal.isActive()).isFalse();
        await(expiryDeadline(ttl)).until(() -> !b.isLocked(key));
        assertThatThrownBy(() -> service.lock().unlock(key)).isInstanceOf(LockLostException.class);
    }

    /**
     * An auto-renewal stops by itself once its lease is released, and never re-takes the key.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void autoRenewalStopsWhenTheLeaseIsReleased() throws Exception {
        LockService service = context().newService();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        LockLease lease = service.lock().acquire(key, expiring(ttl));
        AutoRenewal renewal = service.autoRenew(lease, ttl.dividedBy(4));
        assertThat(lease.release()).isTrue();
        await(ttl.plus(SLACK)).until(() -> !renewal.isActive());
        assertThat(b.isLocked(key)).isFalse();
        assertThat(renewal.lost().toCompletableFuture()).isNotDone();
    }
}
