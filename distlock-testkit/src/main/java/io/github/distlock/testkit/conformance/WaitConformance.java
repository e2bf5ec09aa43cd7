package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Blocking and async waits: {@code lock}/{@code acquire}/{@code acquireAsync} honour the wait
 * timeout, interrupts and cancellation, leave nothing behind when they give up, and wake
 * promptly on release.
 */
public abstract class WaitConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected WaitConformance(ConformanceContext context) {
        super(context);
    }

    private Duration waitTimeout() {
        return quietPeriod().plus(granularity());
    }

    /**
     * {@code acquire} gives up after the wait timeout (not much later) and never takes the key afterwards.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void acquireGivesUpAfterTheWaitTimeout() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        Duration timeout = waitTimeout();
        long start = System.nanoTime();
        Throwable failure = inBackground(() -> b.acquire(key, waitingAtMost(timeout))).failure(CALL_DEADLINE);
        Duration took = since(start);
        assertThat(failure).isInstanceOfSatisfying(LockAcquisitionTimeoutException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.waited()).isEqualTo(timeout);
            assertThat(e.getMessage()).contains(key);
        });
        assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plus(SLACK));

        holder.release();
        assertThroughout(quietPeriod(), "the timed-out waiter did not take the key later", () -> !c.isLocked(key));
        assertThat(c.tryAcquire(key, longLived())).isPresent();
    }

    /**
     * The key-based {@code lock} gives up after the wait timeout and the thread holds nothing.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void lockGivesUpAfterTheWaitTimeout() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        Duration timeout = waitTimeout();
        long start = System.nanoTime();
        try {
            b.lock(key, waitingAtMost(timeout));
            throw new AssertionError("lock() returned while another client held the key");
        } catch (LockAcquisitionTimeoutException expected) {
            assertThat(since(start)).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plus(SLACK));
        }
        assertThat(b.currentLease(key)).isEmpty();
        holder.release();
        assertThroughout(quietPeriod(), "the timed-out waiter did not take the key later", () -> !a.isLocked(key));
    }

    /**
     * A zero wait timeout means one attempt: a held key fails at once.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void zeroWaitTimeoutMakesOneAttempt() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        long start = System.nanoTime();
        Throwable failure = inBackground(() -> b.acquire(key, waitingAtMost(Duration.ZERO))).failure(CALL_DEADLINE);
        assertThat(failure).isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(since(start)).isLessThan(SLACK);
        holder.release();
        assertThat(b.acquire(key, waitingAtMost(Duration.ZERO)).release()).isTrue();
    }

    /**
     * A thread blocked in {@code acquire} is interrupted: it throws {@link InterruptedException},
     * and afterwards the holder's release lets a third party acquire at once; the interrupted
     * waiter never gets the key.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void interruptedAcquireLeavesNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        BackgroundCall<LockLease> waiter = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        assertThroughout(quietPeriod(), "the waiter blocks", () -> !waiter.isDone());
        waiter.interrupt();
        assertThat(waiter.failure(CALL_DEADLINE)).isInstanceOf(InterruptedException.class);

        holder.release();
        LockLease third = c.tryAcquire(key, longLived()).orElseThrow(
                () -> new AssertionError("a third client was refused after the interrupted waiter left"));
        third.release();
        assertThroughout(quietPeriod(), "the interrupted waiter did not take the key later", () -> !c.isLocked(key));
    }

    /**
     * The same for the key-based {@code lock}: interrupted, nothing held, nothing left behind.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void interruptedLockLeavesNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        BackgroundCall<Boolean> waiter = inBackground(() -> {
            try {
                b.lock(key, waitingAtMost(CALL_DEADLINE));
            } catch (InterruptedException e) {
                return b.currentLease(key).isPresent();
            }
            throw new AssertionError("lock() returned while another client held the key");
        });
        assertThroughout(quietPeriod(), "the waiter blocks", () -> !waiter.isDone());
        waiter.interrupt();
        assertThat(waiter.result(CALL_DEADLINE)).as("the interrupted thread holds the key").isFalse();
        holder.release();
        assertThroughout(quietPeriod(), "the interrupted waiter did not take the key later", () -> !a.isLocked(key));
    }

    /**
     * Cancelling an {@code acquireAsync} stops the wait and leaves nothing behind.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void cancelledAcquireAsyncLeavesNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        CompletableFuture<LockLease> pending = b.acquireAsync(key, waitingAtMost(CALL_DEADLINE));
        assertThroughout(quietPeriod(), "the async wait is pending", () -> !pending.isDone());
        assertThat(pending.cancel(true)).isTrue();
        holder.release();
        assertThroughout(quietPeriod(), "the cancelled wait did not take the key later", () -> !c.isLocked(key));
        assertThat(c.tryAcquire(key, longLived())).isPresent();
    }

    /**
     * {@code acquireAsync} fails with {@link LockAcquisitionTimeoutException} after the wait timeout.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void acquireAsyncFailsAfterTheWaitTimeout() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived());
        Duration timeout = waitTimeout();
        long start = System.nanoTime();
        CompletableFuture<LockLease> pending = b.acquireAsync(key, waitingAtMost(timeout));
        try {
            pending.get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("acquireAsync completed while another client held the key");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LockAcquisitionTimeoutException.class);
        }
        assertThat(since(start)).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plus(SLACK));
    }

    /**
     * A waiter blocked in {@code acquire} gets the key promptly when the holder releases: the
     * holder's TTL is long, so only the release notification can explain the hand-off.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void waiterWakesPromptlyOnRelease() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        BackgroundCall<LockLease> waiter = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        assertThroughout(quietPeriod(), "the waiter blocks", () -> !waiter.isDone());
        long released = System.nanoTime();
        holder.release();
        LockLease lease = waiter.result(CALL_DEADLINE);
        assertThat(Duration.ofNanos(waiter.finishedNanos() - released)).isLessThan(HANDOFF_DEADLINE);
        assertThat(lease.fencingToken()).isGreaterThan(holder.fencingToken());
        lease.release();
    }

    /**
     * An {@code acquireAsync} wait completes promptly when the holder releases.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void asyncWaiterWakesPromptlyOnRelease() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        CompletableFuture<LockLease> pending = b.acquireAsync(key, waitingAtMost(CALL_DEADLINE));
        assertThroughout(quietPeriod(), "the async wait is pending", () -> !pending.isDone());
        long released = System.nanoTime();
        holder.release();
        LockLease lease = pending.get(HANDOFF_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(since(released)).isLessThan(HANDOFF_DEADLINE);
        lease.release();
    }

    /**
     * Several blocked waiters on two clients all get the key, one at a time.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void waitersGetTheKeyOneAfterAnother() throws Exception {
        List<DistributedLock> clients = List.of(newClient(), newClient());
        String key = randomKey();
        LockLease holder = clients.get(0).acquire(key, longLived());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<BackgroundCall<Long>> waiters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DistributedLock client = clients.get(i % clients.size());
            waiters.add(inBackground(() -> {
                try (LockLease lease = client.acquire(key, waitingAtMost(CALL_DEADLINE))) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                    return lease.fencingToken();
                }
            }));
        }
        assertThroughout(quietPeriod(), "all waiters block", () -> waiters.stream().noneMatch(BackgroundCall::isDone));
        holder.release();
        List<Long> tokens = new ArrayList<>();
        for (BackgroundCall<Long> w : waiters) {
            tokens.add(w.result(CALL_DEADLINE));
        }
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(tokens).doesNotHaveDuplicates().allMatch(t -> t > holder.fencingToken());
        assertThat(clients.get(1).isLocked(key)).isFalse();
    }
}
