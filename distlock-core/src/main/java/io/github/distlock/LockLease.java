package io.github.distlock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One grant of a lock: proof of ownership that is not tied to a thread. Obtained from
 * {@link DistributedLock#acquire(String, LockOptions)}, {@code tryAcquire} or {@code acquireAsync};
 * pass it to other threads, virtual threads or async stages freely.
 *
 * <p>Use it with try-with-resources:
 * <pre>{@code
 * try (LockLease lease = locks.acquire("orders/42", options)) {
 *     store.write(record, lease.fencingToken());   // the store rejects smaller tokens
 * }
 * }</pre>
 *
 * <p>A lease is single-use: once released it stays released. It can also be <em>lost</em>: its
 * TTL ran out without renewal, renewal kept failing, or the store names another owner. Then
 * {@link #isHeld()} turns false and {@link #lost()} completes. Work that must not run without
 * the lock should pass {@link #fencingToken()} to the protected resource; a lease can be lost at
 * any moment (a GC pause longer than the TTL is enough) and only fencing makes that safe.
 */
public interface LockLease extends AutoCloseable {

    /** @return the lock key */
    String key();

    /** @return exclusive or shared */
    LockType type();

    /**
     * Returns this grant's fencing token: strictly larger than the token of every earlier grant
     * of the same key, on every backend. A resource that remembers the largest token it has seen
     * and rejects smaller ones is safe even when a holder is paused past its TTL.
     *
     * @return the fencing token, positive
     */
    long fencingToken();

    /**
     * Returns the TTL of the last successful grant or renewal, as granted by the store (etcd may
     * round it up).
     *
     * @return the current TTL
     */
    Duration ttl();

    /**
     * Returns when the lease expires unless renewed, by the client clock, measured from when the
     * last grant or renewal was <em>sent</em> (not answered), so it never overestimates.
     *
     * @return the local expiry estimate
     */
    Instant expiresAt();

    /**
     * Tells whether the lease is still held as far as this client knows: not released, not lost,
     * and its local expiry (with the safety margin) has not passed. Costs no round trip.
     *
     * @return {@code true} while held
     */
    boolean isHeld();

    /**
     * Extends the lease to {@code ttl} from now, if this owner still holds the key.
     *
     * @param ttl the new TTL, positive and valid for the backend
     * @throws LockLostException if the store no longer lists this owner (the lease is then lost)
     * @throws LockNotHeldException if the lease was already released
     * @throws LockBackendException if the store failed or did not answer in time
     * @throws InvalidLockArgumentException if {@code ttl} is invalid
     */
    void renew(Duration ttl);

    /**
     * Extends the lease by its current {@link #ttl()}.
     *
     * @throws LockLostException if the store no longer lists this owner
     * @throws LockNotHeldException if the lease was already released
     * @throws LockBackendException if the store failed or did not answer in time
     */
    default void renew() {
        renew(ttl());
    }

    /**
     * Renews without blocking; see {@link #renew(Duration)} for the failures the future carries.
     *
     * @param ttl the new TTL
     * @return completes when renewed
     */
    CompletableFuture<Void> renewAsync(Duration ttl);

    /**
     * Releases the lock if this owner still holds it. Owner-checked: never removes another
     * owner's grant. Stops automatic renewal.
     *
     * @return {@code true} if this call released a lock the store still listed for this owner;
     *         {@code false} if it was already released, or had been lost
     * @throws LockBackendException if the store failed; the lease is released locally anyway and
     *         the store lets it expire
     */
    boolean release();

    /**
     * Releases without blocking; see {@link #release()}.
     *
     * @return completes with what {@link #release()} returns
     */
    CompletableFuture<Boolean> releaseAsync();

    /**
     * Completes when the lease is lost (expired, renewal failed, store lists another owner).
     * Never completes for a lease that is released while held.
     *
     * @return a stage completing with the loss details
     */
    CompletionStage<LockLoss> lost();

    /**
     * Same as {@link #release()}, ignoring its result; safe to call any number of times.
     *
     * @throws LockBackendException if the store failed on the first release
     */
    @Override
    void close();
}
