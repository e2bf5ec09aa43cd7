package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exclusive locks between clients: acquire, release, re-acquire; a second client is refused;
 * keys are independent; leases describe their grant.
 */
public abstract class ExclusiveLockConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ExclusiveLockConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Acquire, release and acquire again, several times in a row; another client sees each state.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void acquireReleaseAndReacquireSeveralTimes() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        for (int i = 0; i < 5; i++) {
            LockLease lease = a.acquire(key, longLived());
            assertThat(lease.isHeld()).isTrue();
            assertThat(b.isLocked(key)).as("round %d: held", i).isTrue();
            assertThat(lease.release()).as("round %d: release", i).isTrue();
            assertThat(lease.isHeld()).isFalse();
            assertThat(b.isLocked(key)).as("round %d: free again", i).isFalse();
        }
    }

    /**
     * While one client holds the key, another gets neither a lease nor a key-based lock.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void secondClientIsRefused() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());

        assertThat(b.tryAcquire(key, longLived())).isEmpty();
        assertThat(b.tryLock(key, longLived())).isFalse();
        assertThat(b.currentLease(key)).isEmpty();
        assertThat(lease.isHeld()).isTrue();

        lease.release();
        assertThat(b.tryLock(key, longLived())).isTrue();
        assertThat(a.tryAcquire(key, longLived())).isEmpty();
        b.unlock(key);
        assertThat(a.isLocked(key)).isFalse();
    }

    /**
     * Leases are not reentrant: a second lease of the same client is a different owner and is refused.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void aSecondLeaseOfTheSameClientIsRefused() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        try (LockLease first = a.acquire(key, longLived())) {
            assertThat(a.tryAcquire(key, longLived())).isEmpty();
            assertThat(first.isHeld()).isTrue();
        }
    }

    /**
     * Locks on different keys do not interfere.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void independentKeysDoNotInterfere() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String k1 = randomKey();
        String k2 = randomKey();
        LockLease l1 = a.acquire(k1, longLived());
        Optional<LockLease> l2 = b.tryAcquire(k2, longLived());
        assertThat(l2).isPresent();
        assertThat(l1.release()).isTrue();
        assertThat(b.isLocked(k1)).isFalse();
        assertThat(a.isLocked(k2)).isTrue();
        assertThat(l2.get().isHeld()).isTrue();
        assertThat(l2.get().release()).isTrue();
    }

    /**
     * Keys are taken literally: no trimming, no Unicode normalisation. Keys that differ only in
     * composed and decomposed accents, invisible or non-breaking spaces, padding or full-width
     * letters are different locks; a character outside the BMP (a surrogate pair) works too.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keysAreTakenLiterallyWithoutNormalisation() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String base = randomKey();
        List<String> keys = List.of(base + "-caf\u00e9", base + "-cafe\u0301", base + "-key", base + "-\uff4b\uff45\uff59",
                base + "-\u00a0", base + "-\u200b", base + "- padded ", base + "-padded", base + "-\uD83D\uDD12");
        List<LockLease> leases = new ArrayList<>();
        for (String key : keys) {
            Optional<LockLease> lease = a.tryAcquire(key, longLived());
            assertThat(lease).as("key '%s' is a lock of its own", key).isPresent();
            assertThat(lease.get().key()).isEqualTo(key);
            leases.add(lease.get());
        }
        for (String key : keys) {
            assertThat(b.getLockInfo(key).held()).as("key '%s'", key).isTrue();
        }
        for (LockLease lease : leases) {
            assertThat(lease.release()).as("release of '%s'", lease.key()).isTrue();
        }
    }

    /**
     * Keys that differ only in characters a backend might treat specially are distinct locks.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keysWithUnusualCharactersAreDistinctLocks() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String base = randomKey();
        List<String> keys = new ArrayList<>(List.of(base, base + ":", base + "/", base + " x", base + ":readers",
                base + ":fence", base + ":lock", "{" + base + "}", base + "*", base + "?[a]", base + "\\",
                base + "-\u00e9\u00df-\u65e5\u672c-\u043a\u043b\u044e\u0447", base + "%2F", base + "\"'"));
        keys.add(base + "-" + "x".repeat(DistributedLock.MAX_KEY_LENGTH - base.length() - 1));
        List<LockLease> leases = new ArrayList<>();
        for (String key : keys) {
            Optional<LockLease> lease = a.tryAcquire(key, longLived());
            assertThat(lease).as("key '%s' can be locked while the others are held", key).isPresent();
            leases.add(lease.get());
        }
        for (String key : keys) {
            assertThat(b.isLocked(key)).as("key '%s'", key).isTrue();
            assertThat(b.tryAcquire(key, longLived())).as("key '%s'", key).isEmpty();
        }
        for (LockLease lease : leases) {
            assertThat(lease.release()).as("release of '%s'", lease.key()).isTrue();
        }
        for (String key : keys) {
            assertThat(b.isLocked(key)).as("key '%s'", key).isFalse();
        }
    }

    /**
     * The key-based {@code tryLock}/{@code unlock} pair takes and frees the lock in the store.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyBasedTryLockAndUnlock() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        assertThat(a.tryLock(key, longLived())).isTrue();
        assertThat(b.isLocked(key)).isTrue();
        assertThat(a.currentLease(key)).hasValueSatisfying(l -> assertThat(l.isHeld()).isTrue());
        a.unlock(key);
        assertThat(a.currentLease(key)).isEmpty();
        assertThat(b.isLocked(key)).isFalse();
        assertThat(b.tryLock(key, longLived())).isTrue();
        b.unlock(key);
    }

    /**
     * A lease reports its key, type, a positive fencing token, the granted TTL and a plausible expiry.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void leaseDescribesItsGrant() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        Duration ttl = Duration.ofSeconds(10);
        Instant before = Instant.now();
        LockLease lease = a.acquire(key, LockOptions.builder().ttl(ttl).autoRenew(false).build());
        Instant after = Instant.now();
        assertThat(lease.key()).isEqualTo(key);
        assertThat(lease.type()).isEqualTo(LockType.EXCLUSIVE);
        assertThat(lease.fencingToken()).isPositive();
        assertThat(lease.ttl()).isBetween(ttl, ttl.plus(granularity()));
        assertThat(lease.expiresAt()).isBetween(before.plus(ttl).minusSeconds(1), after.plus(lease.ttl()).plusSeconds(1));
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.lost().toCompletableFuture()).isNotDone();
        assertThat(lease.release()).isTrue();
    }

    /**
     * A TTL between two granularity steps is never shortened: the store keeps at least what was asked.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void ttlBetweenGranularityStepsIsNeverShortened() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = Duration.ofSeconds(20).plus(granularity().dividedBy(2)).plusNanos(1);
        LockLease lease = a.acquire(key, expiring(ttl));
        assertThat(lease.ttl()).isGreaterThanOrEqualTo(ttl).isLessThan(ttl.plus(granularity()));
        assertThat(b.getLockInfo(key).remainingTtl()).isLessThanOrEqualTo(lease.ttl());
        lease.renew(ttl);
        assertThat(lease.ttl()).isGreaterThanOrEqualTo(ttl).isLessThan(ttl.plus(granularity()));
        assertThat(lease.release()).isTrue();
    }

    /**
     * Calls without options use the client's default lock options.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void clientDefaultOptionsApplyToCallsWithoutOptions() throws Exception {
        Duration ttl = Duration.ofSeconds(7);
        LockOptions defaults = LockOptions.builder().ttl(ttl).autoRenew(false).build();
        DistributedLock a = newClient(LockClientOptions.builder().defaultLockOptions(defaults).build());
        DistributedLock b = newClient();
        String key = randomKey();
        assertThat(a.defaultOptions()).isEqualTo(defaults);
        LockLease lease = a.acquire(key);
        assertThat(lease.ttl()).isBetween(ttl, ttl.plus(granularity()));
        assertThat(b.getLockInfo(key).remainingTtl()).isPositive().isLessThanOrEqualTo(ttl.plus(granularity()));
        assertThat(b.tryAcquire(key)).isEmpty();
        assertThat(b.tryLock(key)).isFalse();
        lease.release();
        assertThat(b.tryLock(key)).isTrue();
        b.unlock(key);
    }

    /** Clients report the fixture's backend name. */
    @Test
    protected void clientsReportTheBackendName() {
        assertThat(newClient().backendName()).isEqualTo(fixture().backendName());
    }

    /**
     * {@code tryAcquireAsync} grants a free key and answers empty for a held one.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryAcquireAsyncGrantsOrReportsBusy() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Optional<LockLease> lease = a.tryAcquireAsync(key, longLived()).get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(lease).isPresent();
        assertThat(b.tryAcquireAsync(key, longLived()).get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)).isEmpty();
        assertThat(lease.get().releaseAsync().get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)).isTrue();
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * {@code acquireAsync} completes with a lease for a free key.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void acquireAsyncCompletesForAFreeKey() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        CompletableFuture<LockLease> future = a.acquireAsync(key, longLived());
        LockLease lease = future.get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(lease.isHeld()).isTrue();
        assertThat(b.isLocked(key)).isTrue();
        lease.close();
        assertThat(b.isLocked(key)).isFalse();
    }
}
