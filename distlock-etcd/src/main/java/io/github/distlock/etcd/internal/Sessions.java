package io.github.distlock.etcd.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's session leases, one per TTL (in whole seconds): auto-renewed locks with the same
 * TTL share one lease. A lost session is replaced on the next request; at most one grant per TTL
 * is in flight.
 */
final class Sessions {

    private final EtcdOps ops;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, CompletableFuture<Session>> byTtl = new HashMap<>();
    private boolean closed;

    Sessions(EtcdOps ops) {
        this.ops = ops;
    }

    /**
     * Returns the live session for {@code ttlSeconds}, opening one when there is none.
     *
     * @param ttlSeconds the requested TTL
     * @return the session
     */
    CompletableFuture<Session> get(long ttlSeconds) {
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the etcd backend is closed"));
            }
            CompletableFuture<Session> current = byTtl.get(ttlSeconds);
            if (current != null && (!current.isDone() || (!current.isCompletedExceptionally() && !current.join().isLost()))) {
                return current;
            }
            CompletableFuture<Session> opened = Session.open(ops, ttlSeconds);
            byTtl.put(ttlSeconds, opened);
            opened.whenComplete((s, e) -> {
                if (e != null) {
                    forget(ttlSeconds, opened);
                }
            });
            return opened;
        } finally {
            lock.unlock();
        }
    }

    private void forget(long ttlSeconds, CompletableFuture<Session> which) {
        lock.lock();
        try {
            byTtl.remove(ttlSeconds, which);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Revokes every session lease.
     *
     * @return completes when all revocations ended
     */
    CompletableFuture<Void> close() {
        List<CompletableFuture<Session>> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(byTtl.values());
            byTtl.clear();
        } finally {
            lock.unlock();
        }
        List<CompletableFuture<Void>> revokes = new ArrayList<>();
        for (CompletableFuture<Session> f : all) {
            revokes.add(f.thenCompose(Session::close).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new));
    }
}
