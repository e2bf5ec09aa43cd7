package io.github.distlock.internal;

import io.github.distlock.LockAcquiredEvent;
import io.github.distlock.LockEvent;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockLostEvent;
import io.github.distlock.LockReleasedEvent;
import io.github.distlock.LockRenewalFailedEvent;
import io.github.distlock.LockRenewedEvent;
import io.github.distlock.LockLostException;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockType;
import io.github.distlock.LostReason;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A granted lock. Holds the claim, the fencing token and the local validity window; the
 * client's {@link LeaseWatchdog} renews it (when auto-renewed) and marks it lost when the
 * window closes without a renewal.
 *
 * <p>Validity is measured from when the grant or renewal was <em>sent</em>, minus a safety
 * margin for clock drift, so the holder stops trusting a lease before the store can give the
 * key to someone else.
 */
final class DefaultLockLease implements LockLease {

    private static final Logger log = LoggerFactory.getLogger(DefaultLockLease.class);

    enum State { HELD, RELEASED, LOST }

    private final DefaultDistributedLock client;
    private final LockClaim claim;
    private final long fencingToken;
    private final boolean autoRenew;
    private final long sequence;
    private final AtomicReference<State> state = new AtomicReference<>(State.HELD);
    private final CompletableFuture<LockLoss> lost = new CompletableFuture<>();
    private final ReentrantLock validityLock = new ReentrantLock();
    private final long grantedNanos = System.nanoTime();
    /**
     * Event bookkeeping, used only when the client has listeners: {@link #NOT_ANNOUNCED} until
     * {@link LockAcquiredEvent} was published, then {@link #ANNOUNCED}, then {@link #ENDED} once
     * the released or lost event was. An end that comes before the announcement parks its event
     * here, and {@link #announce} publishes it after the acquired event.
     */
    private final AtomicReference<Object> eventPhase = new AtomicReference<>(NOT_ANNOUNCED);
    private static final Object NOT_ANNOUNCED = "not announced";
    private static final Object ANNOUNCED = "announced";
    private static final Object ENDED = "ended";

    private volatile Duration ttl;
    private volatile long validUntilNanos;
    private volatile Instant expiresAt;
    private volatile long lastAppliedSendNanos;

    // Watchdog bookkeeping: changed only by the thread that took the lease out of the queue.
    volatile long dueNanos;
    volatile boolean renewInFlight;
    volatile Throwable lastRenewalError;

    DefaultLockLease(DefaultDistributedLock client, LockClaim claim, long fencingToken, Duration ttl,
            boolean autoRenew, long sentNanos, Instant sentAt, long sequence) {
        this.client = client;
        this.claim = claim;
        this.fencingToken = fencingToken;
        this.autoRenew = autoRenew;
        this.sequence = sequence;
        this.ttl = ttl;
        this.lastAppliedSendNanos = sentNanos;
        this.validUntilNanos = sentNanos + client.validityNanos(ttl);
        this.expiresAt = sentAt.plus(ttl);
    }

    LockClaim claim() {
        return claim;
    }

    boolean autoRenew() {
        return autoRenew;
    }

    long sequence() {
        return sequence;
    }

    long validUntilNanos() {
        return validUntilNanos;
    }

    /** When the watchdog should next renew: a third of the TTL after the last renewal was sent. */
    long renewAtNanos() {
        return lastAppliedSendNanos + ttl.toNanos() / 3;
    }

    long renewIntervalNanos() {
        return ttl.toNanos() / 3;
    }

    State state() {
        return state.get();
    }

    @Override
    public String key() {
        return claim.key();
    }

    @Override
    public LockType type() {
        return claim.type();
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean isHeld() {
        if (state.get() != State.HELD) {
            return false;
        }
        if (System.nanoTime() - validUntilNanos >= 0) {
            markLost(LostReason.EXPIRED, null);
            return false;
        }
        return true;
    }

    @Override
    public void renew(Duration newTtl) {
        Exceptions.awaitBounded(renewAsync(newTtl));
    }

    @Override
    public CompletableFuture<Void> renewAsync(Duration newTtl) {
        client.checkTtl("ttl", newTtl);
        State s = state.get();
        if (s == State.RELEASED) {
            return CompletableFuture.failedFuture(new LockNotHeldException(
                    "cannot renew lock '" + key() + "': this lease was already released"));
        }
        if (s == State.LOST || !isHeld()) {
            return CompletableFuture.failedFuture(new LockLostException(lossOrDefault()));
        }
        long sentNanos = System.nanoTime();
        Instant sentAt = client.clock().instant();
        CompletableFuture<Void> renewal = client.calls().renew(new RenewRequest(claim, newTtl)).thenApply(result -> {
            if (!result.renewed()) {
                throw new LockLostException(markLost(LostReason.NOT_OWNER, null));
            }
            if (!applyRenewal(sentNanos, sentAt, result.ttl())) {
                throw new LockLostException(lossOrDefault());
            }
            reportRenewed();
            return null;
        });
        if (client.events().enabled()) {
            renewal.whenComplete((v, e) -> {
                Throwable cause = e == null ? null : Exceptions.unwrap(e);
                if (cause != null && !(cause instanceof LockLostException)) {
                    reportRenewalFailed(cause);
                }
            });
        }
        return renewal;
    }

    /**
     * Records a successful renewal sent at {@code sentNanos}. A renewal sent after the local
     * validity had already ended does not revive the lease: the gap was unprotected.
     *
     * @return whether the lease is still held
     */
    boolean applyRenewal(long sentNanos, Instant sentAt, Duration grantedTtl) {
        boolean applied;
        validityLock.lock();
        try {
            applied = recordRenewal(sentNanos, sentAt, grantedTtl);
        } finally {
            validityLock.unlock();
        }
        if (!applied) {
            if (state.get() == State.HELD) {
                markLost(LostReason.EXPIRED, null);
            }
            return false;
        }
        client.watchdog().reposition(this);
        return true;
    }

    /**
     * Moves the validity window forward for a renewal sent at {@code sentNanos}, unless the lease
     * is no longer held or the renewal was sent after the window had closed (the gap was
     * unprotected, so the lease stays lost). Caller holds {@link #watchLock()}.
     *
     * @return whether the renewal was applied (or superseded by a later one)
     */
    boolean recordRenewal(long sentNanos, Instant sentAt, Duration grantedTtl) {
        if (state.get() != State.HELD || sentNanos - validUntilNanos >= 0) {
            return false;
        }
        if (sentNanos - lastAppliedSendNanos >= 0) {
            ttl = grantedTtl;
            validUntilNanos = sentNanos + client.validityNanos(grantedTtl);
            expiresAt = sentAt.plus(grantedTtl);
            lastAppliedSendNanos = sentNanos;
        }
        return true;
    }

    /** The lock guarding this lease's validity and its place in the watchdog queue. */
    ReentrantLock watchLock() {
        return validityLock;
    }

    @Override
    public boolean release() {
        // The caller blocks for the answer. With no listener and nothing chained on lost() (what
        // the answer may complete), only the core's own code runs when it arrives, so the
        // backend may complete it on its I/O threads.
        boolean inline = !client.events().enabled() && lost.getNumberOfDependents() == 0;
        return Exceptions.awaitBounded(release(inline));
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync() {
        return release(false);
    }

    private CompletableFuture<Boolean> release(boolean completeInline) {
        State previous = state.getAndSet(State.RELEASED);
        if (previous == State.RELEASED) {
            return CompletableFuture.completedFuture(false);
        }
        client.watchdog().untrack(this);
        client.forget(this);
        CompletableFuture<Boolean> call = completeInline ? client.calls().releaseInline(claim) : client.calls().release(claim);
        CompletableFuture<Boolean> release = call.thenApply(released -> {
            if (previous == State.HELD && !released) {
                // The store no longer listed us: the lock had been lost before this release.
                completeLost(LostReason.NOT_OWNER, null);
                return false;
            }
            return previous == State.HELD;
        });
        if (previous == State.HELD && client.events().enabled()) {
            // Released, or the store failed: the lease is released here and expires there.
            release.whenComplete((released, e) -> {
                if (e != null || released) {
                    reportEnd(() -> new LockReleasedEvent(key(), type(), client.backendName(), client.clock().instant(),
                            fencingToken, heldDuration()));
                }
            });
        }
        return release;
    }

    /** Releases in the background, logging a failure; used when nobody can receive the result. */
    CompletableFuture<Boolean> releaseQuietly() {
        return releaseAsync().exceptionally(e -> {
            log.debug("Background release of lock '{}' failed; it expires with its TTL", key(), e);
            return false;
        });
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public CompletionStage<LockLoss> lost() {
        return lost.minimalCompletionStage();
    }

    /**
     * Marks the lease lost (once) and completes {@link #lost()}.
     *
     * @return the loss record (the first one if already lost)
     */
    LockLoss markLost(LostReason reason, Throwable cause) {
        if (state.compareAndSet(State.HELD, State.LOST)) {
            client.watchdog().untrack(this);
            client.forget(this);
            LockLoss loss = completeLost(reason, cause);
            log.warn("Lock '{}' (fencing token {}) on {} was lost: {}", key(), fencingToken, client.backendName(),
                    reason.description(), cause);
            return loss;
        }
        return lossOrDefault();
    }

    /** Reports the loss to the listeners, then completes {@link #lost()}. */
    private LockLoss completeLost(LostReason reason, Throwable cause) {
        LockLoss loss = new LockLoss(key(), fencingToken, reason, client.clock().instant(), cause);
        reportEnd(() -> lostEvent(loss));
        lost.complete(loss);
        return lost.join();
    }

    // ---- events ----

    /**
     * Publishes {@link LockAcquiredEvent} for this grant, then any end event that came first.
     * Called once, by the acquire that hands this lease out, before it hands it out.
     */
    void announce(Duration acquireDuration, boolean waited) {
        LockEvents events = client.events();
        if (!events.enabled()) {
            return;
        }
        events.publish(new LockAcquiredEvent(key(), type(), client.backendName(), client.clock().instant(), fencingToken,
                ttl, acquireDuration, waited));
        if (!eventPhase.compareAndSet(NOT_ANNOUNCED, ANNOUNCED)) {
            Object parked = eventPhase.getAndSet(ENDED);
            if (parked instanceof LockEvent end) {
                events.publish(end);
            }
        }
    }

    /** Publishes the lease's released or lost event, once, and never before its acquired event. */
    private void reportEnd(java.util.function.Supplier<LockEvent> end) {
        LockEvents events = client.events();
        if (!events.enabled()) {
            return;
        }
        LockEvent event = end.get();
        if (eventPhase.compareAndSet(ANNOUNCED, ENDED)) {
            events.publish(event);
        } else {
            eventPhase.compareAndSet(NOT_ANNOUNCED, event);
        }
    }

    /** Publishes {@link LockRenewedEvent} (after a successful renewal of an announced lease). */
    void reportRenewed() {
        if (client.events().enabled() && eventPhase.get() == ANNOUNCED) {
            client.events().publish(new LockRenewedEvent(key(), type(), client.backendName(), client.clock().instant(),
                    fencingToken, ttl));
        }
    }

    /** Publishes {@link LockRenewalFailedEvent} (the store failed; the lease is not lost yet). */
    void reportRenewalFailed(Throwable cause) {
        if (client.events().enabled() && eventPhase.get() == ANNOUNCED) {
            client.events().publish(new LockRenewalFailedEvent(key(), type(), client.backendName(),
                    client.clock().instant(), fencingToken, cause));
        }
    }

    private LockLostEvent lostEvent(LockLoss loss) {
        return new LockLostEvent(key(), type(), client.backendName(), loss.detectedAt(), fencingToken, loss.reason(),
                heldDuration(), loss.cause());
    }

    private Duration heldDuration() {
        return Duration.ofNanos(System.nanoTime() - grantedNanos);
    }

    LockLoss lossOrDefault() {
        LockLoss loss = lost.getNow(null);
        return loss != null ? loss : new LockLoss(key(), fencingToken, LostReason.EXPIRED, client.clock().instant(), null);
    }

    @Override
    public String toString() {
        return "LockLease{key='" + key() + "', type=" + type() + ", fencingToken=" + fencingToken + ", state="
                + state.get() + ", expiresAt=" + expiresAt + '}';
    }
}
