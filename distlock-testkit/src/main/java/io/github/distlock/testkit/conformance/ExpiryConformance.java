package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockLostException;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.LostReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Expiry of locks that are not renewed: the store frees the key after the TTL, the old holder
 * learns it lost the lock, and a waiter takes over.
 */
public abstract class ExpiryConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ExpiryConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Without renewal the key is freed after its TTL (not before), as another client sees it.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyBecomesFreeAfterItsTtl() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        long start = System.nanoTime();
        a.acquire(key, expiring(ttl));
        assertThat(b.isLocked(key)).isTrue();
        await(expiryDeadline(ttl)).until(() -> !b.isLocked(key));
        assertThat(since(start)).as("freed no earlier than its TTL").isGreaterThanOrEqualTo(ttl.minus(granularity()));
        assertThat(b.tryAcquire(key, longLived())).isPresent();
    }

    /**
     * The expired holder sees the loss: {@code isHeld()} false, {@code lost()} completed with
     * EXPIRED or NOT_OWNER, {@code renew} throws {@link LockLostException}, {@code release()}
     * returns false.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void expiredHolderLearnsItLostTheLock() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        LockLease lease = a.acquire(key, expiring(ttl));
        await(expiryDeadline(ttl)).until(() -> !b.isLocked(key));

        assertThat(lease.isHeld()).isFalse();
        LockLoss loss = lease.lost().toCompletableFuture().getNow(null);
        assertThat(loss).as("lost() completed").isNotNull();
        assertThat(loss.reason()).isIn(LostReason.EXPIRED, LostReason.NOT_OWNER);
        assertThat(loss.key()).isEqualTo(key);
        assertThat(loss.fencingToken()).isEqualTo(lease.fencingToken());
        assertThatThrownBy(() -> lease.renew(ttl)).isInstanceOf(LockLostException.class)
                .satisfies(e -> assertThat(((LockLostException) e).loss().key()).isEqualTo(key));
        assertThat(lease.release()).isFalse();
    }

    /**
     * The client notices the loss by itself: {@code lost()} completes without any call by the holder.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void lostCompletesWithoutAnyCall() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        long start = System.nanoTime();
        LockLease lease = a.acquire(key, expiring(ttl));
        CompletableFuture<LockLoss> lost = lease.lost().toCompletableFuture();
        await(expiryDeadline(ttl)).until(lost::isDone);
        assertThat(since(start)).as("not lost long before its TTL").isGreaterThanOrEqualTo(ttl.dividedBy(2));
        LockLoss loss = lost.join();
        assertThat(loss.reason()).isIn(LostReason.EXPIRED, LostReason.NOT_OWNER);
        assertThat(loss.detectedAt()).isNotNull();
        assertThat(lease.isHeld()).isFalse();
    }

    /**
     * A blocked waiter gets a lock whose holder let it expire (expiry publishes nothing: the waiter re-checks).
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void waiterAcquiresAfterTheHolderExpires() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        long start = System.nanoTime();
        LockLease stale = a.acquire(key, expiring(ttl));
        LockLease next = b.acquire(key, waitingAtMost(expiryDeadline(ttl)));
        assertThat(since(start)).isGreaterThanOrEqualTo(ttl.minus(granularity()));
        assertThat(next.fencingToken()).isGreaterThan(stale.fencingToken());
        assertThat(next.release()).isTrue();
    }

    /**
     * A key-based unlock after expiry throws {@link LockLostException} and drops the hold.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyBasedUnlockAfterExpiryReportsTheLoss() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        a.lock(key, expiring(ttl));
        await(expiryDeadline(ttl)).until(() -> !b.isLocked(key));
        assertThatThrownBy(() -> a.unlock(key)).isInstanceOf(LockLostException.class);
        assertThat(a.currentLease(key)).isEmpty();
        assertThatThrownBy(() -> a.unlock(key)).isInstanceOf(LockNotHeldException.class);
    }

    /**
     * One shared holder expiring leaves the others holding; a writer is still refused.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void expiryOfOneSharedHolderKeepsTheOthers() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock writer = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        a.acquire(key, LockOptions.builder().ttl(ttl).autoRenew(false).lockType(LockType.SHARED).build());
        LockLease lasting = b.acquire(key, sharedLongLived());
        assertThat(writer.getLockInfo(key).holderCount()).isEqualTo(2);
        await(expiryDeadline(ttl)).until(() -> writer.getLockInfo(key).holderCount() == 1);
        LockInfo info = writer.getLockInfo(key);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.fencingToken()).isEqualTo(lasting.fencingToken());
        assertThat(writer.tryAcquire(key, longLived())).isEmpty();
        assertThat(lasting.release()).isTrue();
        assertThat(writer.tryAcquire(key, longLived())).isPresent();
    }
}
