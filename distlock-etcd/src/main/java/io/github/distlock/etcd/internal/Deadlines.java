package io.github.distlock.etcd.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deadlines of one fixed length for many operations, on one coarse clock instead of a timer per
 * operation: a scheduled timer per call wakes the timer thread for every call (thousands of
 * thread wake-ups a second on the lock/unlock path), while this wakes it once per tick, and only
 * while operations are in flight.
 *
 * <p>Operations are kept in arrival order, which is deadline order since every deadline has the
 * same length. Each tick (a fiftieth of the length, between 1 and 50 ms) drops the operations
 * that completed and expires those whose deadline passed. A deadline is set a tick early, so
 * that an operation expires at the latest {@code length} after it was added (plus the timer
 * thread's own delay), never later.
 */
final class Deadlines {

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ScheduledExecutorService scheduler;
    private final long lengthNanos;
    private final long tickNanos;
    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ticking = new AtomicBoolean();

    /**
     * @param scheduler the timer thread (one thread: ticks never overlap)
     * @param length how long an operation may take
     */
    Deadlines(ScheduledExecutorService scheduler, Duration length) {
        this.scheduler = scheduler;
        this.lengthNanos = length.toNanos();
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, lengthNanos / 50));
    }

    /**
     * Runs {@code onExpiry} (on the timer thread) unless {@code operation} completes within the
     * length of these deadlines.
     *
     * @param operation the operation
     * @param onExpiry what to do when it did not complete in time; must not block
     * @throws RejectedExecutionException if the timer thread is shut down
     */
    void watch(CompletableFuture<?> operation, Runnable onExpiry) {
        // A tick early, so that a tick's delay cannot make the deadline late.
        pending.add(new Entry(System.nanoTime() + lengthNanos - tickNanos, operation, onExpiry));
        startTicking();
    }

    /**
     * Completes {@code operation} with a {@link TimeoutException} unless it completes within the
     * length of these deadlines, like {@link CompletableFuture#orTimeout}.
     *
     * @param operation the operation
     * @param <T> the result type
     * @return {@code operation}
     * @throws RejectedExecutionException if the timer thread is shut down
     */
    <T> CompletableFuture<T> orTimeout(CompletableFuture<T> operation) {
        watch(operation, () -> operation.completeExceptionally(new TimeoutException()));
        return operation;
    }

    /** @return the number of operations still held (completed ones are dropped at the next tick); for tests */
    int pending() {
        return pending.size();
    }

    private void startTicking() {
        if (ticking.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                ticking.set(false);
                throw closed;
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        Entry e;
        while ((e = pending.peek()) != null) {
            boolean done = e.operation.isDone();
            if (!done && e.deadlineNanos - now > 0) {
                break;
            }
            pending.poll(); // only this thread removes entries, so this is e
            if (!done) {
                try {
                    e.onExpiry.run();
                } catch (RuntimeException ignored) {
                    // an expiry action must not stop the others
                }
            }
        }
        ticking.set(false);
        if (!pending.isEmpty()) {
            try {
                startTicking();
            } catch (RejectedExecutionException closed) {
                // closing: the calls in flight end with the client
            }
        }
    }

    private record Entry(long deadlineNanos, CompletableFuture<?> operation, Runnable onExpiry) {
    }
}
