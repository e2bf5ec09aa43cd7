package io.github.distlock.mem;

import io.github.distlock.LockInfo;
import io.github.distlock.LockType;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The "server" of the in-memory backend: lock state for any number of keys, shared by every
 * {@link InMemoryLockBackend} connected to it (as Redis is shared by every client). Time comes
 * from an injectable {@link Clock}, so tests can move it.
 *
 * <p>Semantics, which the Redis and etcd backends reproduce:
 * <ul>
 *   <li>Exclusive: granted only when no holder exists. Shared: granted when no exclusive holder
 *       exists and no writer is waiting (a waiting writer blocks new readers, so it is not
 *       starved). Every holder has its own expiry.</li>
 *   <li>Fencing tokens come from one counter for the whole store, so they strictly increase per
 *       key across every grant, expiry and release.</li>
 *   <li>Release and renew act only on the claim's own owner token.</li>
 *   <li>Releases complete the change notifications of waiters on the key; expiry notifies
 *       nobody (waiters re-check at the holder's remaining TTL, as with Redis).</li>
 * </ul>
 */
public final class InMemoryLockStore {

    private static final Map<String, InMemoryLockStore> NAMED = new ConcurrentHashMap<>();

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, KeyState> keys = new HashMap<>();
    private long lastFencingToken;

    /**
     * Creates an empty store.
     *
     * @param clock the time source for TTLs
     */
    public InMemoryLockStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns the JVM-wide store with this name, creating it on first use with the system clock.
     * {@code mem:} URIs name stores this way ({@code mem:} is the store named {@code default}).
     *
     * @param name the store name
     * @return the store
     */
    public static InMemoryLockStore named(String name) {
        return NAMED.computeIfAbsent(name, n -> new InMemoryLockStore(Clock.systemUTC()));
    }

    /** @return the store's clock */
    public Clock clock() {
        return clock;
    }

    AcquireResult tryAcquire(AcquireRequest request) {
        LockClaim claim = request.claim();
        lock.lock();
        try {
            Instant now = clock.instant();
            KeyState state = state(claim.key(), now);
            Holder mine = state.holders.get(claim.ownerToken());
            if (mine != null) {
                // A repeated attempt of a grant whose answer was lost: the same grant again.
                return new AcquireResult.Acquired(mine.fencingToken, request.ttl());
            }
            boolean free = claim.type() == LockType.EXCLUSIVE
                    ? state.holders.isEmpty()
                    : !state.hasExclusiveHolder() && !state.hasWaitingWriterOtherThan(claim.ownerToken());
            if (free) {
                long token = ++lastFencingToken;
                state.lastFencingToken = token;
                state.holders.put(claim.ownerToken(), new Holder(claim.type(), now.plus(request.ttl()), token));
                state.waitingWriters.remove(claim.ownerToken());
                return new AcquireResult.Acquired(token, request.ttl());
            }
            Duration recheck = state.longestRemaining(now);
            boolean enqueued = false;
            if (claim.type() == LockType.EXCLUSIVE && request.prepareWait()) {
                // Mark the waiting writer so that new readers queue behind it. The marker lives
                // until the writer acquires or gives up, or a TTL after its latest attempt.
                state.waitingWriters.put(claim.ownerToken(), now.plus(recheck).plus(request.ttl()));
                enqueued = true;
            }
            CompletableFuture<Void> changed = null;
            if (request.prepareWait()) {
                changed = new CompletableFuture<>();
                state.watchers.add(changed);
            }
            return new AcquireResult.Busy(recheck, changed, enqueued);
        } finally {
            lock.unlock();
        }
    }

    boolean release(LockClaim claim) {
        List<CompletableFuture<Void>> wake;
        boolean released;
        lock.lock();
        try {
            Instant now = clock.instant();
            KeyState state = state(claim.key(), now);
            Holder holder = state.holders.get(claim.ownerToken());
            released = holder != null && holder.type == claim.type();
            if (released) {
                state.holders.remove(claim.ownerToken());
            }
            boolean wasWaiting = state.waitingWriters.remove(claim.ownerToken()) != null;
            wake = released || wasWaiting ? state.takeWatchers() : List.of();
            dropIfEmpty(claim.key(), state);
        } finally {
            lock.unlock();
        }
        wake.forEach(f -> f.complete(null));
        return released;
    }

    RenewResult renew(LockClaim claim, Duration ttl) {
        lock.lock();
        try {
            Instant now = clock.instant();
            KeyState state = state(claim.key(), now);
            Holder holder = state.holders.get(claim.ownerToken());
            if (holder == null || holder.type != claim.type()) {
                dropIfEmpty(claim.key(), state);
                return RenewResult.notHeld();
            }
            holder.expiresAt = now.plus(ttl);
            return RenewResult.renewed(ttl);
        } finally {
            lock.unlock();
        }
    }

    LockInfo inspect(String key) {
        lock.lock();
        try {
            Instant now = clock.instant();
            KeyState state = state(key, now);
            LockInfo info;
            if (state.holders.isEmpty()) {
                info = LockInfo.free(key, state.lastFencingToken);
            } else {
                long token = state.holders.values().stream().mapToLong(h -> h.fencingToken).max().orElse(0);
                LockType type = state.hasExclusiveHolder() ? LockType.EXCLUSIVE : LockType.SHARED;
                info = LockInfo.held(key, type, state.holders.size(), token, state.longestRemaining(now));
            }
            dropIfEmpty(key, state);
            return info;
        } finally {
            lock.unlock();
        }
    }

    List<LockInfo> list(String keyPrefix, int limit) {
        List<String> candidates;
        lock.lock();
        try {
            candidates = new ArrayList<>();
            for (String key : keys.keySet()) {
                if (key.startsWith(keyPrefix)) {
                    candidates.add(key);
                }
            }
        } finally {
            lock.unlock();
        }
        List<LockInfo> held = new ArrayList<>();
        for (String key : candidates) {
            LockInfo info = inspect(key);
            if (info.held() && held.size() < limit) {
                held.add(info);
            }
        }
        return held;
    }

    /** Number of keys with state (holders, waiting writers or waiters); for tests. */
    int keyCount() {
        lock.lock();
        try {
            return keys.size();
        } finally {
            lock.unlock();
        }
    }

    /** Number of armed change notifications across all keys; for tests that check clean-up. */
    int watcherCount() {
        lock.lock();
        try {
            int n = 0;
            for (KeyState s : keys.values()) {
                s.watchers.removeIf(CompletableFuture::isDone);
                n += s.watchers.size();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    // Caller holds the lock. Returns the key's state with expired holders and markers removed.
    private KeyState state(String key, Instant now) {
        KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
        state.holders.values().removeIf(h -> !h.expiresAt.isAfter(now));
        state.waitingWriters.values().removeIf(until -> !until.isAfter(now));
        state.watchers.removeIf(CompletableFuture::isDone);
        return state;
    }

    // Caller holds the lock. Keeps the fencing counter per store, so empty keys can go.
    private void dropIfEmpty(String key, KeyState state) {
        if (state.holders.isEmpty() && state.waitingWriters.isEmpty() && state.watchers.isEmpty()) {
            keys.remove(key);
        }
    }

    private static final class KeyState {
        final Map<String, Holder> holders = new LinkedHashMap<>();
        final Map<String, Instant> waitingWriters = new LinkedHashMap<>();
        final List<CompletableFuture<Void>> watchers = new ArrayList<>();
        long lastFencingToken;

        boolean hasExclusiveHolder() {
            for (Holder h : holders.values()) {
                if (h.type == LockType.EXCLUSIVE) {
                    return true;
                }
            }
            return false;
        }

        boolean hasWaitingWriterOtherThan(String owner) {
            for (String w : waitingWriters.keySet()) {
                if (!w.equals(owner)) {
                    return true;
                }
            }
            return false;
        }

        Duration longestRemaining(Instant now) {
            Instant latest = now;
            for (Holder h : holders.values()) {
                if (h.expiresAt.isAfter(latest)) {
                    latest = h.expiresAt;
                }
            }
            for (Instant until : waitingWriters.values()) {
                if (until.isAfter(latest)) {
                    latest = until;
                }
            }
            Duration d = Duration.between(now, latest);
            return d.isZero() ? Duration.ofMillis(1) : d;
        }

        List<CompletableFuture<Void>> takeWatchers() {
            List<CompletableFuture<Void>> taken = new ArrayList<>(watchers);
            watchers.clear();
            return taken;
        }
    }

    private static final class Holder {
        final LockType type;
        final long fencingToken;
        Instant expiresAt;

        Holder(LockType type, Instant expiresAt, long fencingToken) {
            this.type = type;
            this.expiresAt = expiresAt;
            this.fencingToken = fencingToken;
        }
    }
}
