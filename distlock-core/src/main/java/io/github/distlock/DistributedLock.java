package io.github.distlock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A client of one lock store: the entry point of distlock. Open one per store and application
 * with {@link DistributedLocks#open(String)} and share it between threads; close it on shutdown.
 *
 * <h2>Two ways to lock</h2>
 * <p><b>Handles</b> ({@link #acquire}, {@link #tryAcquire}, {@link #acquireAsync}) return a
 * {@link LockLease}: ownership lives in the lease, not in a thread, so it can be released from
 * any thread or async stage, carries a fencing token and tells you when it is lost.
 *
 * <p><b>Key-based calls</b> ({@link #lock}, {@link #tryLock}, {@link #unlock}, {@link #renew})
 * follow {@link java.util.concurrent.locks.ReentrantLock}: the lock belongs to the calling
 * thread, the same thread may take it again (a local hold count, no round trip), and another
 * thread's {@code unlock} gets {@link LockNotHeldException} instead of releasing it.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Release and renew are owner-checked with a random 128-bit token per grant.</li>
 *   <li>Every grant carries a fencing token larger than any earlier grant of the key.</li>
 *   <li>Waiting is driven by the store's release notifications, with a timed re-check at the
 *       holder's remaining TTL (expiry publishes nothing).</li>
 *   <li>Every call to the store has a deadline ({@link LockClientOptions#operationTimeout()});
 *       interrupts and timeouts remove whatever the waiter created.</li>
 * </ul>
 */
public interface DistributedLock extends AutoCloseable {

    /** Largest accepted key length, in characters. */
    int MAX_KEY_LENGTH = 512;

    // ---- the brief's key-based operations, bound to the calling thread ----

    /**
     * Tries to take the lock for the calling thread with the default options: one attempt plus
     * {@link LockOptions#retryCount()} retries {@link LockOptions#retryDelay()} apart.
     *
     * @param key the lock key
     * @return {@code true} if the calling thread now holds the lock
     * @throws InterruptedException if interrupted while waiting between retries
     */
    boolean tryLock(String key) throws InterruptedException;

    /**
     * Tries to take the lock for the calling thread: one attempt plus
     * {@link LockOptions#retryCount()} retries {@link LockOptions#retryDelay()} apart. Re-entry
     * by the holding thread succeeds at once without a round trip.
     *
     * @param key the lock key
     * @param options TTL, type, retries
     * @return {@code true} if the calling thread now holds the lock
     * @throws InterruptedException if interrupted while waiting between retries
     */
    boolean tryLock(String key, LockOptions options) throws InterruptedException;

    /**
     * Takes the lock for the calling thread, waiting as long as the default options allow.
     *
     * @param key the lock key
     * @throws InterruptedException if interrupted while waiting; nothing is left behind
     * @throws LockAcquisitionTimeoutException if the wait timeout passes
     */
    void lock(String key) throws InterruptedException;

    /**
     * Takes the lock for the calling thread, waiting up to {@link LockOptions#waitTimeout()}.
     * Re-entry by the holding thread succeeds at once without a round trip.
     *
     * @param key the lock key
     * @param options TTL, type, wait timeout
     * @throws InterruptedException if interrupted while waiting; nothing is left behind
     * @throws LockAcquisitionTimeoutException if the wait timeout passes
     */
    void lock(String key, LockOptions options) throws InterruptedException;

    /**
     * Releases one hold of the calling thread; the lock is released in the store when the last
     * hold is released.
     *
     * @param key the lock key
     * @throws LockNotHeldException if the calling thread does not hold the key
     * @throws LockLostException if the lock had been lost before this release (the critical
     *         section was not fully protected); the hold is removed anyway
     */
    void unlock(String key);

    /**
     * Extends the calling thread's lock on {@code key} to {@code ttl} from now.
     *
     * @param key the lock key
     * @param ttl the new TTL
     * @throws LockNotHeldException if the calling thread does not hold the key
     * @throws LockLostException if the store no longer lists this owner
     */
    void renew(String key, Duration ttl);

    /**
     * Asks the store whether anyone (any client) holds {@code key}.
     *
     * @param key the lock key
     * @return {@code true} if held
     */
    boolean isLocked(String key);

    /**
     * Returns the lease behind the calling thread's key-based hold of {@code key}, for its
     * fencing token or {@link LockLease#lost()}.
     *
     * @param key the lock key
     * @return the lease, or empty when the calling thread does not hold {@code key}
     */
    Optional<LockLease> currentLease(String key);

    // ---- handles ----

    /**
     * Tries to acquire with the default options; see {@link #tryAcquire(String, LockOptions)}.
     *
     * @param key the lock key
     * @return the lease, or empty if the lock is held by others
     * @throws InterruptedException if interrupted between retries
     */
    Optional<LockLease> tryAcquire(String key) throws InterruptedException;

    /**
     * Tries to acquire: one attempt plus {@link LockOptions#retryCount()} retries
     * {@link LockOptions#retryDelay()} apart. Not getting the lock is not an error.
     *
     * @param key the lock key
     * @param options TTL, type, retries
     * @return the lease, or empty if the lock is held by others
     * @throws InterruptedException if interrupted between retries; nothing is left behind
     */
    Optional<LockLease> tryAcquire(String key, LockOptions options) throws InterruptedException;

    /**
     * Acquires with the default options; see {@link #acquire(String, LockOptions)}.
     *
     * @param key the lock key
     * @return the lease
     * @throws InterruptedException if interrupted while waiting
     */
    LockLease acquire(String key) throws InterruptedException;

    /**
     * Acquires, waiting for release notifications up to {@link LockOptions#waitTimeout()}.
     *
     * @param key the lock key
     * @param options TTL, type, wait timeout
     * @return the lease
     * @throws InterruptedException if interrupted while waiting; nothing is left behind
     * @throws LockAcquisitionTimeoutException if the wait timeout passes
     */
    LockLease acquire(String key, LockOptions options) throws InterruptedException;

    /**
     * Acquires without blocking a thread while waiting. The future fails with
     * {@link LockAcquisitionTimeoutException} when the wait timeout passes; cancelling it stops
     * the wait and removes what it created (a lease granted concurrently is released).
     * Dependent stages run on the thread that completes the future; use the {@code *Async}
     * variants for heavy work.
     *
     * @param key the lock key
     * @param options TTL, type, wait timeout
     * @return the future lease
     */
    CompletableFuture<LockLease> acquireAsync(String key, LockOptions options);

    /**
     * Like {@link #tryAcquire(String, LockOptions)} but without blocking a thread.
     *
     * @param key the lock key
     * @param options TTL, type, retries
     * @return the future lease, or empty if the lock is held by others
     */
    CompletableFuture<Optional<LockLease>> tryAcquireAsync(String key, LockOptions options);

    /**
     * Reads the key's lock state from the store.
     *
     * @param key the lock key
     * @return holders, type, fencing token, remaining TTL
     */
    LockInfo getLockInfo(String key);

    /**
     * Reads the key's lock state without blocking.
     *
     * @param key the lock key
     * @return the future info
     */
    CompletableFuture<LockInfo> getLockInfoAsync(String key);

    /**
     * Lists the locks currently held (by any client) whose key starts with {@code keyPrefix},
     * without blocking the store (Redis uses {@code SCAN}, etcd ranged reads).
     *
     * @param keyPrefix the key prefix; empty for all keys
     * @param limit the most locks to return, 1 to 100,000
     * @return the held locks, sorted by key
     */
    java.util.List<LockInfo> listLocks(String keyPrefix, int limit);

    /** @return the options used by calls that take none */
    LockOptions defaultOptions();

    /** @return the backend's name, for example {@code mem}, {@code redis} or {@code etcd} */
    String backendName();

    /**
     * Closes the client: pending waits fail with {@link LockClosedException}, held leases are
     * released (best effort, within the operation timeout), the watchdog stops, and the backend
     * connection is closed unless it was borrowed. Idempotent.
     */
    @Override
    void close();
}
