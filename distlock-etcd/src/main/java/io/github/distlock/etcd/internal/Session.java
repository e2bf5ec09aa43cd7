package io.github.distlock.etcd.internal;

import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lease shared by many locks, like Go's {@code concurrency.Session}: granted once, kept alive
 * by jetcd's single keep-alive stream, revoked on close.
 *
 * <p>Keep-alive signals map to a state: a response means {@link State#ALIVE}; a stream error
 * means {@link State#SUSPECT} (jetcd restarts the stream, the lease may well be alive); the
 * stream's own deadline passing ({@code onCompleted}) or a NOT_FOUND answer means
 * {@link State#LOST}. A lost session is revoked (best effort) so that keys it carried do not
 * outlive the locks the client has given up on, and everything waiting on it is woken.
 *
 * <p>Grants and renewals must not promise more than the server will keep. The server keeps the
 * lease until a TTL after the last refresh it processed, but the stream's refresh times are not
 * visible; so {@link #confirm(long)} refreshes the lease itself ({@link EtcdOps#refresh}), at
 * most one call in flight, shared by every caller that started before it was sent (up to a
 * small slack). A TTL reported to the core is then measured from a refresh sent no earlier than
 * the core's request.
 */
final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final long MAX_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    enum State { ALIVE, SUSPECT, LOST }

    private final EtcdOps ops;
    private final long leaseId;
    private final long ttlSeconds;
    private final long slackNanos;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile State state = State.ALIVE;
    private volatile CloseableClient keepAlive;

    // Guarded by lock: the confirmation pipeline.
    private long confirmedSentNanos;
    private long inFlightSentNanos;
    private CompletableFuture<Long> inFlight;
    private CompletableFuture<Long> next;

    private Session(EtcdOps ops, long leaseId, long ttlSeconds, long grantSentNanos) {
        this.ops = ops;
        this.leaseId = leaseId;
        this.ttlSeconds = ttlSeconds;
        this.slackNanos = Math.min(MAX_SLACK_NANOS, TimeUnit.SECONDS.toNanos(ttlSeconds) / 200);
        this.confirmedSentNanos = grantSentNanos;
    }

    /**
     * Grants a lease and starts keeping it alive.
     *
     * @param ops the calls
     * @param ttlSeconds requested TTL; the server may raise it
     * @return the session
     */
    static CompletableFuture<Session> open(EtcdOps ops, long ttlSeconds) {
        long sent = System.nanoTime();
        return ops.grant(ttlSeconds).thenApply(r -> {
            Session s = new Session(ops, r.getID(), r.getTTL(), sent);
            s.startKeepAlive();
            return s;
        });
    }

    long leaseId() {
        return leaseId;
    }

    /** @return the TTL the server granted, in seconds */
    long ttlSeconds() {
        return ttlSeconds;
    }

    State state() {
        return state;
    }

    boolean isLost() {
        return state == State.LOST;
    }

    /** @return completes when the session is lost */
    CompletableFuture<Void> lost() {
        return lost;
    }

    /**
     * Wakes {@code waiter} when the session is lost (at once if it already is); forgets it when
     * it completes.
     */
    void wakeOnLoss(CompletableFuture<Void> waiter) {
        waiters.add(waiter);
        waiter.whenComplete((v, e) -> waiters.remove(waiter));
        if (isLost()) {
            waiter.complete(null);
        }
    }

    /**
     * Completes with the lease's TTL in seconds once a refresh sent at or after
     * {@code notBeforeNanos} (less a slack of 0.5% of the TTL, at most 100 ms) has succeeded; fails
     * with the refresh's error. A NOT_FOUND answer marks the session lost.
     *
     * @param notBeforeNanos {@link System#nanoTime()} when the caller's request started
     * @return the granted TTL in seconds
     */
    CompletableFuture<Long> confirm(long notBeforeNanos) {
        long needed = notBeforeNanos - slackNanos;
        lock.lock();
        try {
            if (confirmedSentNanos - needed >= 0) {
                return CompletableFuture.completedFuture(ttlSeconds);
            }
            if (inFlight != null && inFlightSentNanos - needed >= 0) {
                return inFlight;
            }
            if (inFlight != null) {
                if (next == null) {
                    next = new CompletableFuture<>();
                }
                return next;
            }
            return startRefresh(new CompletableFuture<>());
        } finally {
            lock.unlock();
        }
    }

    // Caller holds the lock.
    private CompletableFuture<Long> startRefresh(CompletableFuture<Long> result) {
        long sent = System.nanoTime();
        inFlight = result;
        inFlightSentNanos = sent;
        ops.refresh(leaseId).whenComplete((ttl, e) -> {
            CompletableFuture<Long> queued;
            lock.lock();
            try {
                if (e == null && sent - confirmedSentNanos > 0) {
                    confirmedSentNanos = sent;
                }
                inFlight = null;
                queued = next;
                next = null;
                if (queued != null) {
                    startRefresh(queued);
                }
            } finally {
                lock.unlock();
            }
            if (e != null) {
                if (EtcdErrors.isLeaseNotFound(e)) {
                    markLost("the lease was not found on the server");
                }
                result.completeExceptionally(e);
            } else {
                if (state == State.SUSPECT) {
                    state = State.ALIVE;
                }
                result.complete(ttl > 0 ? ttl : ttlSeconds);
            }
        });
        return result;
    }

    /**
     * Marks the session lost (once): stops the keep-alive, wakes waiters, completes
     * {@link #lost()} and revokes the lease in the background so its keys go too.
     */
    void markLost(String why) {
        if (state == State.LOST) {
            return;
        }
        state = State.LOST;
        log.warn("etcd session lease {} (TTL {} s) was lost: {}", Long.toHexString(leaseId), ttlSeconds, why);
        stopKeepAlive();
        lost.complete(null);
        for (CompletableFuture<Void> w : Set.copyOf(waiters)) {
            w.complete(null);
        }
        ops.revoke(leaseId).exceptionally(e -> null);
    }

    /**
     * Stops the keep-alive and revokes the lease, deleting every key on it.
     *
     * @return completes when revoked (or the attempt failed)
     */
    CompletableFuture<Void> close() {
        boolean wasLost = state == State.LOST;
        state = State.LOST;
        stopKeepAlive();
        lost.complete(null);
        for (CompletableFuture<Void> w : Set.copyOf(waiters)) {
            w.complete(null);
        }
        return wasLost ? CompletableFuture.completedFuture(null) : ops.revoke(leaseId).exceptionally(e -> null);
    }

    private void startKeepAlive() {
        keepAlive = ops.keepAlive(leaseId, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse response) {
                if (state == State.SUSPECT) {
                    state = State.ALIVE;
                }
            }

            @Override
            public void onError(Throwable t) {
                if (EtcdErrors.isLeaseNotFound(t)) {
                    markLost("the keep-alive answered that the lease does not exist");
                } else if (state == State.ALIVE) {
                    state = State.SUSPECT;
                    log.debug("Keep-alive of etcd session lease {} failed; jetcd retries", Long.toHexString(leaseId), t);
                }
            }

            @Override
            public void onCompleted() {
                verifyAfterStreamDeadline();
            }
        });
    }

    /**
     * jetcd's client-side deadline passed (no stream answer for a whole TTL, for example on a
     * busy machine) and it stopped refreshing the lease. Ask the server once: alive means keep
     * the session and resume the stream; anything else means lost.
     */
    private void verifyAfterStreamDeadline() {
        if (state == State.LOST) {
            return;
        }
        ops.refresh(leaseId).whenComplete((ttl, e) -> {
            if (e == null && ttl > 0 && state != State.LOST) {
                log.debug("Keep-alive stream of etcd session lease {} lapsed but the lease is alive; resuming",
                        Long.toHexString(leaseId));
                state = State.ALIVE;
                startKeepAlive();
            } else {
                markLost(e != null && EtcdErrors.isLeaseNotFound(e) ? "the lease was not found on the server"
                        : "no keep-alive answer for a whole TTL");
            }
        });
    }

    private void stopKeepAlive() {
        CloseableClient k = keepAlive;
        if (k != null) {
            try {
                k.close();
            } catch (RuntimeException ignored) {
                // the lease client is closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "Session{lease=" + Long.toHexString(leaseId) + ", ttl=" + ttlSeconds + "s, " + state + '}';
    }
}
