package io.github.distlock.internal;

import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One acquire call, from first attempt to grant, give-up or cancellation, without blocking a
 * thread while it waits.
 *
 * <p>Two modes: {@link Mode#RETRY} is the brief's {@code tryLock}: one attempt plus
 * {@code retryCount} retries {@code retryDelay} apart. {@link Mode#WAIT} is {@code lock}/{@code acquire}:
 * after a busy answer it waits for the backend's change notification or the holder's remaining
 * TTL (expiry publishes nothing), whichever comes first, until the wait timeout.
 *
 * <p>Whatever ends the operation without a lease (timeout, cancel, interrupt, client close,
 * failure) disarms the notification and removes any queue entry the attempts left behind. A
 * grant that arrives after the caller gave up is released at once.
 */
final class AcquireOperation {

    enum Mode { RETRY, WAIT }

    private final DefaultDistributedLock client;
    private final LockClaim claim;
    private final LockOptions options;
    private final Mode mode;
    private final long deadlineNanos;
    private final boolean forever;
    private int retriesLeft;
    private final AtomicInteger wakeGeneration = new AtomicInteger();
    private volatile CompletableFuture<Void> armedChange;
    private volatile ScheduledFuture<?> armedTimer;
    private volatile boolean enqueued;
    private volatile boolean cleanedUp;

    /** Completes with the lease, with empty when not acquired in time, or exceptionally. */
    final CompletableFuture<Optional<LockLease>> result = new CompletableFuture<>();

    AcquireOperation(DefaultDistributedLock client, LockClaim claim, LockOptions options, Mode mode) {
        this.client = client;
        this.claim = claim;
        this.options = options;
        this.mode = mode;
        this.retriesLeft = options.retryCount();
        long timeoutNanos = saturatedNanos(options.waitTimeout());
        this.forever = mode == Mode.RETRY || timeoutNanos >= Long.MAX_VALUE / 4;
        this.deadlineNanos = forever ? 0 : System.nanoTime() + timeoutNanos;
    }

    String key() {
        return claim.key();
    }

    Duration waitTimeout() {
        return options.waitTimeout();
    }

    void start() {
        result.whenComplete((lease, error) -> {
            disarm();
            if ((lease == null || lease.isEmpty()) && enqueued && !cleanedUp) {
                client.releaseClaimQuietly(claim);
            }
        });
        // The first attempt does not arm a wake-up: the uncontended path stays one round trip.
        attempt(false);
    }

    private void attempt(boolean prepareWait) {
        if (result.isDone()) {
            return;
        }
        long sentNanos = System.nanoTime();
        Instant sentAt = client.clock().instant();
        client.calls()
                .tryAcquire(new AcquireRequest(claim, options.ttl(), options.autoRenew(), prepareWait))
                .whenComplete((r, e) -> onAttempt(r, e, sentNanos, sentAt));
    }

    private void onAttempt(AcquireResult r, Throwable error, long sentNanos, Instant sentAt) {
        if (error != null) {
            // The store may have applied the grant before the call failed (a timeout): remove it.
            client.releaseClaimQuietly(claim);
            result.completeExceptionally(error);
            return;
        }
        if (r instanceof AcquireResult.Acquired granted) {
            DefaultLockLease lease = client.newLease(claim, granted, options, sentNanos, sentAt);
            if (!result.complete(Optional.of(lease))) {
                lease.releaseQuietly();
            }
            return;
        }
        AcquireResult.Busy busy = (AcquireResult.Busy) r;
        if (busy.enqueued()) {
            enqueued = true;
        }
        if (result.isDone()) {
            cancel(busy.changed());
            if (busy.enqueued()) {
                client.releaseClaimQuietly(claim);
            }
            return;
        }
        if (mode == Mode.RETRY) {
            cancel(busy.changed());
            if (retriesLeft <= 0) {
                giveUp();
                return;
            }
            retriesLeft--;
            arm(null, options.retryDelay().toNanos());
            return;
        }
        long remaining = forever ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            cancel(busy.changed());
            giveUp();
            return;
        }
        if (busy.changed() == null) {
            // The backend arms notifications only when asked; ask, and look again at once.
            attempt(true);
            return;
        }
        arm(busy.changed(), Math.min(remaining, busy.recheckAfter().toNanos()));
    }

    private void arm(CompletableFuture<Void> changed, long delayNanos) {
        int generation = wakeGeneration.incrementAndGet();
        armedChange = changed;
        try {
            armedTimer = client.scheduler().schedule(() -> wake(generation), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException clientClosed) {
            cancel(changed);
            result.completeExceptionally(client.closedException("acquire"));
            return;
        }
        if (changed != null) {
            changed.whenComplete((v, e) -> wake(generation));
        }
        if (result.isDone()) {
            disarm();
        }
    }

    private void wake(int generation) {
        if (!wakeGeneration.compareAndSet(generation, generation + 1)) {
            return;
        }
        cancel(armedChange);
        ScheduledFuture<?> timer = armedTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        if (result.isDone()) {
            return;
        }
        if (!forever && deadlineNanos - System.nanoTime() <= 0) {
            giveUp();
            return;
        }
        attempt(mode == Mode.WAIT);
    }

    /**
     * Not acquired in time (retries used up, or the wait timeout passed): removes what the
     * attempts left in the store (a queue entry, a waiting-writer marker) <em>before</em>
     * answering, so that a caller whose {@code tryLock} or timed {@code lock} returned never
     * meets its own stale entry afterwards (for example a second {@code tryLock} right away).
     * Cancellation and interrupts still clean up in the background.
     */
    private void giveUp() {
        if (!enqueued || result.isDone()) {
            result.complete(Optional.empty());
            return;
        }
        cleanedUp = true;
        client.calls().release(claim).whenComplete((released, e) -> result.complete(Optional.empty()));
    }

    private void disarm() {
        wakeGeneration.incrementAndGet();
        ScheduledFuture<?> timer = armedTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        cancel(armedChange);
    }

    private static void cancel(CompletableFuture<Void> changed) {
        if (changed != null) {
            changed.cancel(false);
        }
    }

    /** Nanoseconds of {@code d}, or {@code Long.MAX_VALUE} for anything longer than about 292 years. */
    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
