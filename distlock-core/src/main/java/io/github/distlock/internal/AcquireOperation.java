package io.github.distlock.internal;

import io.github.distlock.AcquireOutcome;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockLease;
import io.github.distlock.LockNotAcquiredEvent;
import io.github.distlock.LockOptions;
import io.github.distlock.LockWaitEndedEvent;
import io.github.distlock.LockWaitStartedEvent;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
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
 * grant that arrives after the caller gave up is released at once. {@link #settled} completes
 * when all of that is done (the attempt in flight has landed and the clean-up has answered), so
 * that callers can report a give-up only once nothing is left behind.
 */
final class AcquireOperation {

    enum Mode { RETRY, WAIT }

    private final DefaultDistributedLock client;
    private final LockClaim claim;
    private final LockOptions options;
    private final Mode mode;
    private final boolean completeInline;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final boolean forever;
    /** When the first busy answer arrived and the operation went on waiting or retrying; 0 until then. */
    private volatile long waitStartedNanos;
    /** Set once a lease was handed to {@link #result} and announced (its acquired event published). */
    private volatile boolean granted;
    private int retriesLeft;
    private final AtomicInteger wakeGeneration = new AtomicInteger();
    private volatile CompletableFuture<Void> armedChange;
    private volatile ScheduledFuture<?> armedTimer;
    private volatile boolean enqueued;
    /** Completes when the attempt in flight has been handled (including releasing a late grant). */
    private volatile CompletableFuture<Void> landed = CompletableFuture.completedFuture(null);

    /** Completes with the lease, with empty when not acquired in time, or exceptionally. */
    final CompletableFuture<Optional<LockLease>> result = new CompletableFuture<>();
    /**
     * Completes (never exceptionally) after {@link #result} completed, once the attempt in flight
     * has landed and whatever the operation left in the store has been removed (or the removal
     * failed; it then expires with its TTL).
     */
    final CompletableFuture<Void> settled = new CompletableFuture<>();
    /**
     * The future an async caller holds, when it is not {@link #result} itself: it completes after
     * {@link #settled}, in a callback of its own, so {@code close()} waits for it rather than for
     * {@link #settled} to return only once that caller has heard the outcome.
     */
    volatile CompletableFuture<?> delivered;

    /**
     * @param completeInline whether only the core's own non-blocking code runs when an attempt
     *     completes (a blocked caller, no listeners): see {@link AcquireRequest#completeInline()}
     */
    AcquireOperation(DefaultDistributedLock client, LockClaim claim, LockOptions options, Mode mode,
            boolean completeInline) {
        this.client = client;
        this.completeInline = completeInline;
        this.claim = claim;
        this.options = options;
        this.mode = mode;
        this.retriesLeft = options.retryCount();
        long timeoutNanos = saturatedNanos(options.waitTimeout());
        this.forever = mode == Mode.RETRY || timeoutNanos >= Long.MAX_VALUE / 4;
        this.deadlineNanos = forever ? 0 : startNanos + timeoutNanos;
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
            boolean leased = lease != null && lease.isPresent();
            if (!leased) {
                reportNotAcquired(error);
            }
            // Let the attempt in flight land first: it may still enqueue, or be a late grant.
            landed.whenComplete((ignored, e) -> {
                CompletableFuture<Boolean> cleanup = !leased && enqueued
                        ? client.releaseClaimQuietly(claim)
                        : CompletableFuture.completedFuture(false);
                cleanup.whenComplete((r, e2) -> settled.complete(null));
            });
        });
        // The first attempt does not arm a wake-up: the uncontended path stays one round trip
        // (a backend may still arm one where that is free: AcquireRequest#willWait).
        attempt(false);
    }

    private void attempt(boolean prepareWait) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<Void> thisAttempt = new CompletableFuture<>();
        landed = thisAttempt;
        // Checked again after publishing the attempt: whoever completes the result either sees
        // this attempt in 'landed', or this check sees the result done and sends nothing.
        if (result.isDone()) {
            thisAttempt.complete(null);
            return;
        }
        long sentNanos = System.nanoTime();
        Instant sentAt = client.clock().instant();
        client.calls()
                .tryAcquire(new AcquireRequest(claim, options.ttl(), options.autoRenew(), prepareWait, mode == Mode.WAIT,
                        completeInline))
                .whenComplete((r, e) -> onAttempt(r, e, sentNanos, sentAt)
                        .whenComplete((v, e2) -> thisAttempt.complete(null)));
    }

    /** Handles an attempt's answer; returns what must finish before the attempt counts as landed. */
    private CompletableFuture<?> onAttempt(AcquireResult r, Throwable error, long sentNanos, Instant sentAt) {
        if (error != null) {
            // The store may have applied the grant before the call failed (a timeout): remove it,
            // best effort and without delaying the failure (the store is likely unreachable).
            client.releaseClaimQuietly(claim);
            result.completeExceptionally(error);
            return CompletableFuture.completedFuture(null);
        }
        if (r instanceof AcquireResult.Acquired grant) {
            DefaultLockLease lease = client.newLease(claim, grant, options, sentNanos, sentAt);
            if (result.isDone()) {
                return lease.releaseQuietly();
            }
            reportAcquired(lease);
            if (!result.complete(Optional.of(lease))) {
                return lease.releaseQuietly();
            }
            return CompletableFuture.completedFuture(null);
        }
        AcquireResult.Busy busy = (AcquireResult.Busy) r;
        if (busy.enqueued()) {
            // Before checking the result: the clean-up in start() runs after this attempt lands
            // and removes the entry if the operation ended without a lease.
            enqueued = true;
        }
        if (result.isDone()) {
            cancel(busy.changed());
            return CompletableFuture.completedFuture(null);
        }
        continueAfterBusy(busy);
        return CompletableFuture.completedFuture(null);
    }

    private void continueAfterBusy(AcquireResult.Busy busy) {
        if (mode == Mode.RETRY) {
            cancel(busy.changed());
            if (retriesLeft <= 0) {
                result.complete(Optional.empty());
                return;
            }
            retriesLeft--;
            reportWaitStarted();
            arm(null, options.retryDelay().toNanos());
            return;
        }
        long remaining = forever ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            cancel(busy.changed());
            result.complete(Optional.empty());
            return;
        }
        reportWaitStarted();
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
            result.complete(Optional.empty());
            return;
        }
        attempt(mode == Mode.WAIT);
    }

    private void disarm() {
        wakeGeneration.incrementAndGet();
        ScheduledFuture<?> timer = armedTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        cancel(armedChange);
    }

    // ---- events (each method returns at once when the client has no listeners) ----

    private void reportWaitStarted() {
        LockEvents events = client.events();
        if (!events.enabled() || waitStartedNanos != 0) {
            return;
        }
        waitStartedNanos = System.nanoTime() | 1; // never 0
        Duration waitTimeout = mode == Mode.RETRY
                ? options.retryDelay().multipliedBy(options.retryCount())
                : options.waitTimeout();
        events.publish(new LockWaitStartedEvent(claim.key(), claim.type(), client.backendName(),
                client.clock().instant(), waitTimeout));
    }

    /** Publishes the end of the wait (if any) and the acquired event, before the lease is handed out. */
    private void reportAcquired(DefaultLockLease lease) {
        if (!client.events().enabled()) {
            return;
        }
        granted = true;
        reportWaitEnded(AcquireOutcome.ACQUIRED);
        lease.announce(Duration.ofNanos(System.nanoTime() - startNanos), waitStartedNanos != 0);
    }

    private void reportNotAcquired(Throwable error) {
        LockEvents events = client.events();
        if (!events.enabled() || granted) {
            return;
        }
        Throwable cause = error == null ? null : Exceptions.unwrap(error);
        AcquireOutcome outcome;
        if (cause == null) {
            outcome = mode == Mode.RETRY ? AcquireOutcome.BUSY : AcquireOutcome.TIMED_OUT;
        } else if (cause instanceof CancellationException || cause instanceof LockClosedException) {
            outcome = AcquireOutcome.CANCELLED;
        } else {
            outcome = AcquireOutcome.FAILED;
        }
        reportWaitEnded(outcome);
        events.publish(new LockNotAcquiredEvent(claim.key(), claim.type(), client.backendName(),
                client.clock().instant(), outcome, Duration.ofNanos(System.nanoTime() - startNanos), cause));
    }

    private void reportWaitEnded(AcquireOutcome outcome) {
        long waitStarted = waitStartedNanos;
        if (waitStarted != 0) {
            client.events().publish(new LockWaitEndedEvent(claim.key(), claim.type(), client.backendName(),
                    client.clock().instant(), outcome, Duration.ofNanos(System.nanoTime() - waitStarted)));
        }
    }

    private static void cancel(CompletableFuture<Void> changed) {
        if (changed != null) {
            changed.cancel(false);
        }
    }

    /**
     * Nanoseconds of {@code d}, or {@code Long.MAX_VALUE} for anything longer than about 292
     * years ({@link io.github.distlock.LockOptions#WAIT_FOREVER}). Checked without letting
     * {@code toNanos} throw: an exception per acquire would dominate the hot path.
     */
    private static long saturatedNanos(Duration d) {
        return d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE : d.toNanos();
    }
}
