package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockLease;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a client: its locks are released at once, its pending waits fail with
 * {@link LockClosedException}, other clients are unaffected.
 */
public abstract class ClientCloseConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ClientCloseConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Close releases leases, key-based holds and shared holds: another client gets them at once.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closeReleasesTheClientsLocks() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String leased = randomKey();
        String keyBased = randomKey();
        String shared = randomKey();
        LockLease lease = a.acquire(leased, longLived());
        a.lock(keyBased, longLived());
        LockLease reader = a.acquire(shared, sharedLongLived());
        a.close();
        assertThat(b.tryAcquire(leased, longLived())).isPresent();
        assertThat(b.tryAcquire(keyBased, longLived())).isPresent();
        assertThat(b.tryAcquire(shared, longLived())).isPresent();
        assertThat(lease.isHeld()).isFalse();
        assertThat(reader.isHeld()).isFalse();
        assertThat(lease.lost().toCompletableFuture()).as("released on close, not lost").isNotDone();
        assertThat(lease.release()).isFalse();
        lease.close();
    }

    /**
     * Close fails pending blocking and async waits with {@link LockClosedException}; the holder is unaffected.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closeFailsPendingWaits() throws Exception {
        DistributedLock holderClient = newClient();
        DistributedLock b = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        LockLease holder = holderClient.acquire(key, longLived());
        BackgroundCall<LockLease> blocked = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        BackgroundCall<Void> blockedLock = inBackground(() -> {
            b.lock(key, waitingAtMost(CALL_DEADLINE));
            return null;
        });
        CompletableFuture<LockLease> async = b.acquireAsync(key, waitingAtMost(CALL_DEADLINE));
        assertThroughout(quietPeriod(), "all waits are pending",
                () -> !blocked.isDone() && !blockedLock.isDone() && !async.isDone());
        long closing = System.nanoTime();
        b.close();
        assertThat(blocked.failure(HANDOFF_DEADLINE)).isInstanceOf(LockClosedException.class);
        assertThat(blockedLock.failure(HANDOFF_DEADLINE)).isInstanceOf(LockClosedException.class);
        try {
            async.get(HANDOFF_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("acquireAsync completed after close");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LockClosedException.class);
        }
        assertThat(since(closing)).isLessThan(HANDOFF_DEADLINE);
        assertThat(holder.isHeld()).isTrue();
        assertThat(observer.getLockInfo(key).fencingToken()).isEqualTo(holder.fencingToken());
        holder.release();
        assertThroughout(quietPeriod(), "the closed client's waiters did not take the key", () -> !observer.isLocked(key));
    }

    /**
     * {@code close()} may be called again.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closeIsIdempotent() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived());
        a.close();
        a.close();
        assertThat(b.isLocked(key)).isFalse();
    }

    /**
     * Closing one client leaves other clients' locks alone.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closingOneClientLeavesOtherClientsAlone() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = b.acquire(key, longLived());
        b.lock(key + "-k", longLived());
        a.acquire(randomKey(), longLived());
        a.close();
        assertThat(lease.isHeld()).isTrue();
        assertThat(b.isLocked(key)).isTrue();
        assertThat(lease.release()).isTrue();
        b.unlock(key + "-k");
    }
}
