package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockLoss;
import io.github.distlock.LockLostException;
import io.github.distlock.LostReason;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One acquire attempt, from lease to outcome.
 *
 * <ul>
 *   <li>Lease: auto-renewed claims use the session lease for their TTL; explicit-TTL claims get a
 *       lease of their own, granted in this call or reused from the pool with a refresh sent
 *       alongside the transaction (a queued claim keeps its lease, kept alive by
 *       the keep-alive stream while it waits).</li>
 *   <li>A grant is reported with a TTL measured from a lease refresh sent after the call
 *       started, so the core never believes in more validity than the server gives.</li>
 *   <li>A busy answer that wrote a queue entry (MUTEX) or writer marker (TXN) keeps it and says
 *       {@code enqueued}: a waiting caller keeps its place from the first attempt on, and a
 *       caller that gives up has the core release the claim before it returns. With
 *       {@code prepareWait} a watch from the transaction's revision is armed.</li>
 *   <li>An ambiguous failure (timeout, unavailable) is resolved by reading the owner's key, never
 *       by blindly sending the write again; a write that may still land later is swept.</li>
 * </ul>
 */
final class Acquirer {

    /** Pause before a waiting caller looks again after a transient failure. */
    static final Duration RETRY_LATER = Duration.ofMillis(500);

    private final StoreContext ctx;
    /** The budget of one {@link #tryAcquire}: 90% of the operation timeout, under the core's deadline. */
    private final Deadlines budget;

    Acquirer(StoreContext ctx) {
        this.ctx = ctx;
        this.budget = new Deadlines(ctx.scheduler(), ctx.timeout().multipliedBy(9).dividedBy(10));
    }

    CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        long start = System.nanoTime();
        ClaimState state = ctx.claims().get(request.claim().ownerToken());
        CompletableFuture<AcquireResult> result = state != null && state.status == ClaimState.Status.HELD
                ? regrant(state, start)
                : new Attempt(request, state).run();
        // Answer within the core's deadline (several calls may be chained here): a waiting caller
        // hears "busy, look again soon" (the claim is released if the caller gives up), anyone
        // else the timeout. A write still in flight is resolved by the next attempt or swept.
        return withinBudget(result, request.prepareWait()).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                EtcdErrors.map(e, request.claim().key(), "acquire", ctx.timeout())));
    }

    private CompletableFuture<AcquireResult> withinBudget(CompletableFuture<AcquireResult> result, boolean waiting) {
        CompletableFuture<AcquireResult> out = new CompletableFuture<>();
        try {
            budget.watch(out, () -> {
                if (waiting) {
                    out.complete(new AcquireResult.Busy(RETRY_LATER, ctx.signals().after(RETRY_LATER), true));
                } else {
                    out.completeExceptionally(new TimeoutException("acquire did not complete in time"));
                }
            });
        } catch (RejectedExecutionException closed) {
            return result;
        }
        result.whenComplete((r, e) -> {
            boolean delivered = e != null ? out.completeExceptionally(e) : out.complete(r);
            if (!delivered && r instanceof AcquireResult.Busy late && late.changed() != null) {
                late.changed().cancel(false);
            }
        });
        return out;
    }

    /** A repeated attempt of a claim already granted: the same grant, with its lease refreshed now. */
    private CompletableFuture<AcquireResult> regrant(ClaimState state, long start) {
        LeaseRef lease = state.lease;
        CompletableFuture<Long> fresh = lease.session() != null
                ? lease.session().confirm(start)
                : ctx.ops().refresh(lease.id());
        return fresh.thenApply(ttl -> new AcquireResult.Acquired(state.revision, Duration.ofSeconds(ttl)));
    }

    /** The state of one {@code tryAcquire} call. */
    private final class Attempt {
        private final AcquireRequest request;
        private final LockClaim claim;
        private final long startNanos = System.nanoTime();
        private final ByteSequence ownKey;
        private ClaimState state;
        private LeaseRef lease;
        private long knownRevision;
        private boolean resolved;
        private int leaseRetries = 1;
        /** A lease of its own taken from the pool: its refresh, sent alongside the transaction. */
        private CompletableFuture<Long> ownFresh;
        /** A reused lease turned out gone: the retry gets a newly granted one. */
        private boolean grantFresh;

        Attempt(AcquireRequest request, ClaimState state) {
            this.request = request;
            this.claim = request.claim();
            this.state = state;
            this.ownKey = ctx.driver().ownKey(claim);
            this.knownRevision = state != null ? state.revision : 0;
        }

        CompletableFuture<AcquireResult> run() {
            CompletableFuture<LeaseRef> obtained = state != null
                    ? CompletableFuture.completedFuture(state.lease)
                    : obtainLease();
            return obtained.thenCompose(this::attemptOn);
        }

        private CompletableFuture<LeaseRef> obtainLease() {
            long ttl = StoreContext.ceilSeconds(request.ttl());
            if (request.autoRenew()) {
                return ctx.sessions().get(ttl).thenApply(LeaseRef::of);
            }
            return ctx.leasePool().take(ttl, !grantFresh).thenApply(taken -> {
                ownFresh = taken.fresh();
                return taken.lease();
            });
        }

        private CompletableFuture<AcquireResult> attemptOn(LeaseRef chosen) {
            this.lease = chosen;
            CompletableFuture<Long> fresh = freshness();
            return ctx.driver().attempt(claim, lease.id(), knownRevision)
                    .handle((outcome, error) -> error == null ? onOutcome(outcome, fresh) : onFailure(error))
                    .thenCompose(Function.identity());
        }

        /** The lease's TTL, confirmed by a refresh (or grant) sent after this call started. */
        private CompletableFuture<Long> freshness() {
            if (lease.session() != null) {
                return lease.session().confirm(startNanos);
            }
            if (state != null) {
                // A queued claim's own lease, kept alive by the stream: refresh it now.
                return ctx.ops().refresh(lease.id());
            }
            return ownFresh != null ? ownFresh : CompletableFuture.completedFuture(lease.ttlSeconds());
        }

        private CompletableFuture<AcquireResult> onOutcome(AttemptOutcome o, CompletableFuture<Long> fresh) {
            switch (o.kind()) {
                case GRANTED:
                    return fresh.handle((ttl, e) -> e == null ? granted(o, ttl) : onFreshnessFailure(e))
                            .thenCompose(Function.identity());
                case QUEUED:
                    return enqueue(o, request.prepareWait());
                case BLOCKED:
                    dropState();
                    releaseUnusedOwnLease();
                    return busy(request.prepareWait() ? watch(o) : null, false);
                case ENTRY_LOST:
                default:
                    return entryLost();
            }
        }

        private CompletableFuture<AcquireResult> granted(AttemptOutcome o, long ttlSeconds) {
            if (ctx.wasReleased(claim.ownerToken())) {
                return lateForReleasedClaim();
            }
            if (state != null) {
                state.stopQueueKeepAlive();
                ctx.claims().remove(claim.ownerToken(), state);
            }
            ClaimState held = new ClaimState(claim, lease, ClaimState.Status.HELD, o.revision());
            ctx.claims().put(claim.ownerToken(), held);
            return CompletableFuture.completedFuture(new AcquireResult.Acquired(o.revision(), Duration.ofSeconds(ttlSeconds)));
        }

        private CompletableFuture<AcquireResult> onFreshnessFailure(Throwable e) {
            if (EtcdErrors.isLeaseNotFound(e)) {
                return leaseEnded();
            }
            if (EtcdErrors.isTransient(e)) {
                // As for an ambiguous write: a waiting caller looks again later (the attempt is
                // idempotent and its refresh is then sent anew), anyone else gets the failure.
                return unresolved(e);
            }
            // The grant stands in the store but its validity is unknown: give it up (the core
            // releases the claim after a failed attempt; a lease of its own is revoked).
            if (lease.isOwn()) {
                abandon();
            }
            return CompletableFuture.failedFuture(e);
        }

        /**
         * Keeps the entry the attempt wrote and reports it ({@code enqueued}): the core either
         * waits (arming a watch on the predecessor when asked) or, giving up, releases the claim
         * before it answers its caller.
         */
        private CompletableFuture<AcquireResult> enqueue(AttemptOutcome o, boolean arm) {
            if (ctx.wasReleased(claim.ownerToken())) {
                return lateForReleasedClaim();
            }
            ClaimState s = state;
            if (s == null) {
                s = new ClaimState(claim, lease, ClaimState.Status.QUEUED, o.revision());
                ctx.claims().put(claim.ownerToken(), s);
                state = s;
            } else {
                s.revision = o.revision();
                s.lease = lease;
            }
            if (lease.isOwn() && s.queueKeepAlive == null) {
                keepQueuedLeaseAlive(s);
            }
            if (!arm) {
                return busy(null, true);
            }
            CompletableFuture<Void> changed = watch(o);
            s.changed = changed;
            if (lease.session() != null) {
                CompletableFuture<Void> sessionLost = new CompletableFuture<>();
                sessionLost.thenRun(() -> ctx.signals().wake(changed));
                changed.whenComplete((v, e) -> sessionLost.cancel(false));
                lease.session().wakeOnLoss(sessionLost);
            }
            if (s.entryLost.isDone()) {
                ctx.signals().wake(changed);
            }
            return busy(changed, true);
        }

        private void keepQueuedLeaseAlive(ClaimState s) {
            s.entryLost.whenComplete((v, e) -> {
                CompletableFuture<Void> c = s.changed;
                if (c != null) {
                    ctx.signals().wake(c);
                }
            });
            s.queueKeepAlive = ctx.ops().keepAlive(lease.id(), new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse value) {
                    // alive
                }

                @Override
                public void onError(Throwable t) {
                    if (EtcdErrors.isLeaseNotFound(t)) {
                        s.entryLost.complete(null);
                    }
                }

                @Override
                public void onCompleted() {
                    s.entryLost.complete(null);
                }
            });
        }

        /**
         * The core released this claim while the attempt was in flight (it gave up): remove what
         * the attempt wrote instead of recording it. Nobody receives this answer.
         */
        private CompletableFuture<AcquireResult> lateForReleasedClaim() {
            dropState();
            if (lease.isOwn()) {
                ctx.cleanup().revokeInBackground(lease.id());
            } else {
                ctx.cleanup().deleteInBackground(ownKey, claim.ownerToken());
            }
            return busy(null, false);
        }

        private CompletableFuture<Void> watch(AttemptOutcome o) {
            return o.watchKey() == null
                    ? ctx.signals().after(ctx.recheckAfter())
                    : ctx.signals().onDelete(o.watchKey(), o.watchPrefix(), o.headerRevision(), ctx.driver().watchesFromNow());
        }

        private CompletableFuture<AcquireResult> busy(CompletableFuture<Void> changed, boolean enqueued) {
            return CompletableFuture.completedFuture(new AcquireResult.Busy(ctx.recheckAfter(), changed, enqueued));
        }

        private CompletableFuture<AcquireResult> onFailure(Throwable error) {
            switch (EtcdErrors.kind(error)) {
                case LEASE_NOT_FOUND:
                    return leaseEnded();
                case AMBIGUOUS:
                    return resolve(error);
                default:
                    abandon();
                    return CompletableFuture.failedFuture(error);
            }
        }

        /** The lease carrying (or meant to carry) the claim's key does not exist any more. */
        private CompletableFuture<AcquireResult> leaseEnded() {
            if (lease.session() != null) {
                lease.session().markLost("the server does not know the lease any more");
            } else {
                grantFresh = true;
            }
            if (state != null) {
                return entryLost();
            }
            if (leaseRetries-- > 0) {
                return run();
            }
            return CompletableFuture.failedFuture(new LockBackendException(EtcdErrors.BACKEND, claim.key(),
                    "acquire failed: the lease ended while the lock was being granted", null));
        }

        /**
         * The attempt may or may not have been applied: read the owner's key. Present: go on from
         * what the store holds (the attempt transactions are idempotent per owner). Absent:
         * a waiting caller tries again later, anyone else gets the failure.
         */
        private CompletableFuture<AcquireResult> resolve(Throwable error) {
            if (resolved) {
                return unresolved(error);
            }
            resolved = true;
            return ctx.ops().get(ownKey, GetOption.DEFAULT).handle((r, readError) -> {
                if (readError != null) {
                    return unresolved(error);
                }
                KeyValue mine = TxnDriver.first(r);
                if (mine != null && mine.getValue().equals(TxnDriver.value(claim.ownerToken()))) {
                    knownRevision = mine.getCreateRevision();
                    return attemptOn(lease);
                }
                return unresolved(error);
            }).thenCompose(Function.identity());
        }

        private CompletableFuture<AcquireResult> unresolved(Throwable error) {
            if (request.prepareWait()) {
                // The caller waits anyway: ride out a transient outage until its wait timeout.
                if (state == null) {
                    // A write may still land: its own lease is revoked (not reused), which
                    // deletes it; a key on a session lease is swept unless adopted.
                    abandon();
                }
                // enqueued: a write that lands late is then removed when the caller gives up.
                return busy(ctx.signals().after(RETRY_LATER), true);
            }
            abandon();
            return CompletableFuture.failedFuture(error);
        }

        private CompletableFuture<AcquireResult> entryLost() {
            dropState();
            releaseUnusedOwnLease();
            LockBackendException why = new LockBackendException(EtcdErrors.BACKEND, claim.key(),
                    "the lease carrying this claim's queue entry ended while it waited, so the lock was not granted",
                    null);
            return CompletableFuture.failedFuture(new LockLostException(
                    new LockLoss(claim.key(), 0, LostReason.SESSION_ENDED, Instant.now(), why)));
        }

        /** Gives up after a failure: removes whatever may have been written. */
        private void abandon() {
            dropState();
            if (lease != null && lease.isOwn()) {
                ctx.cleanup().revokeInBackground(lease.id());
            } else {
                sweepIfLate();
            }
        }

        /** A write that timed out may still be applied later; delete it then unless adopted. */
        private void sweepIfLate() {
            ctx.cleanup().sweepLater(ownKey, claim.ownerToken(), ctx.timeout(), owner -> !ctx.claims().containsKey(owner));
        }

        private void dropState() {
            if (state != null) {
                ctx.claims().remove(claim.ownerToken(), state);
                state.stopQueueKeepAlive();
                state = null;
            }
        }

        /** An own lease that carries no key of this claim goes back to the pool. */
        private void releaseUnusedOwnLease() {
            if (lease != null && lease.isOwn()) {
                ctx.leasePool().giveBack(lease);
                lease = null;
            }
        }
    }
}
