package io.github.distlock.etcd.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leases of their own for explicit-TTL locks, reused. A lease whose only key was deleted by an
 * owner-checked release carries nothing, so the next lock with the same TTL can take it: a
 * refresh ({@link EtcdOps#refresh}), which resets it to its full TTL and proves it still exists, is sent
 * when it is taken and runs alongside the lock's transaction (a refresh, no Raft write, instead
 * of a grant and a revoke, two Raft writes, and no extra round trip before the transaction). A
 * lease that turns out to be gone fails the transaction or the refresh; the caller then asks for
 * a newly granted one. Idle leases are revoked on close and otherwise expire by themselves.
 */
final class LeasePool {

    /** Idle leases kept per TTL. */
    static final int MAX_IDLE_PER_TTL = 64;

    private final EtcdOps ops;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, ArrayDeque<Idle>> idle = new HashMap<>();
    /** Requested TTL to granted TTL, as the server answered (it raises TTLs under its minimum). */
    private final Map<Long, Long> grantedFor = new ConcurrentHashMap<>();
    private boolean closed;

    private record Idle(long id, long ttlSeconds, long pooledAtNanos) {
    }

    /**
     * A lease taken from the pool, ready to carry a key at once.
     *
     * @param lease the lease
     * @param fresh its TTL in seconds, confirmed by a grant or refresh sent by {@code take}; fails
     *        (NOT_FOUND when the lease is gone) if the refresh does
     */
    record Taken(LeaseRef lease, CompletableFuture<Long> fresh) {
    }

    LeasePool(EtcdOps ops) {
        this.ops = ops;
    }

    /**
     * Returns a lease of TTL {@code requestedSeconds} (or the server's minimum): an idle one,
     * refreshed by a call sent now that the caller does not have to wait for before using it, or
     * a newly granted one.
     *
     * @param requestedSeconds the TTL in whole seconds
     * @param reuse whether an idle lease may be taken (false after a reused one turned out gone)
     * @return the lease and its confirmed TTL
     */
    CompletableFuture<Taken> take(long requestedSeconds, boolean reuse) {
        Idle reused = reuse ? poll(grantedFor.getOrDefault(requestedSeconds, requestedSeconds)) : null;
        if (reused == null) {
            return grant(requestedSeconds).thenApply(l -> new Taken(l, CompletableFuture.completedFuture(l.ttlSeconds())));
        }
        CompletableFuture<Long> fresh = ops.refresh(reused.id());
        return CompletableFuture.completedFuture(new Taken(LeaseRef.own(reused.id(), reused.ttlSeconds()), fresh));
    }

    private CompletableFuture<LeaseRef> grant(long requestedSeconds) {
        return ops.grant(requestedSeconds).thenApply(g -> {
            grantedFor.put(requestedSeconds, g.getTTL());
            return LeaseRef.own(g.getID(), g.getTTL());
        });
    }

    private Idle poll(long ttlSeconds) {
        long now = System.nanoTime();
        lock.lock();
        try {
            ArrayDeque<Idle> q = idle.get(ttlSeconds);
            while (q != null && !q.isEmpty()) {
                Idle i = q.pollLast();
                // Older than half its TTL since it was pooled: it may be gone; let it expire.
                if (now - i.pooledAtNanos() < TimeUnit.SECONDS.toNanos(i.ttlSeconds()) / 2) {
                    return i;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back a lease that carries no key (its lock was released by an owner-checked delete,
     * or never written). Revokes it when the pool is full or closed.
     *
     * @param lease the lease
     */
    void giveBack(LeaseRef lease) {
        boolean kept = false;
        lock.lock();
        try {
            if (!closed) {
                ArrayDeque<Idle> q = idle.computeIfAbsent(lease.ttlSeconds(), t -> new ArrayDeque<>());
                if (q.size() < MAX_IDLE_PER_TTL) {
                    q.addLast(new Idle(lease.id(), lease.ttlSeconds(), System.nanoTime()));
                    kept = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!kept) {
            ops.revoke(lease.id()).exceptionally(e -> null);
        }
    }

    /**
     * Revokes every idle lease.
     *
     * @return completes when done
     */
    CompletableFuture<Void> close() {
        List<CompletableFuture<Void>> revokes = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (ArrayDeque<Idle> q : idle.values()) {
                for (Idle i : q) {
                    revokes.add(ops.revoke(i.id()).exceptionally(e -> null));
                }
            }
            idle.clear();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new));
    }
}
