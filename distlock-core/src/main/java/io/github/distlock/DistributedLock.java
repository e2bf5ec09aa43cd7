package io.github.distlock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

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
 * {@link #asLock(String)} presents the same thread-bound lock of one key as a
 * {@link java.util.concurrent.locks.Lock}, for code written against {@code java.util.concurrent}.
 *
 * <h2>Async</h2>
 * <p>{@link #acquireAsync}, {@link #tryAcquireAsync}, {@link LockLease#releaseAsync()},
 * {@link LockLease#renewAsync(Duration)} and {@link #getLockInfoAsync} never block the calling
 * thread; waiting for a lock costs no thread at all. The blocking calls park the calling thread
 * without pinning a virtual thread to its carrier.
 *
 * <h2>Observing</h2>
 * <p>Register a {@link LockEventListener} (for example
 * {@code io.github.distlock.metrics.MicrometerLockMetrics}) in {@link LockClientOptions};
 * {@link #heldLeases()} lists what this client holds.
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

    /**
     * Returns a {@link Lock} view of {@code key} with the default options; see
     * {@link #asLock(String, LockOptions)}.
     *
     * @param key the lock key
     * @return the view
     */
    Lock asLock(String key);

    /**
     * Returns a {@link java.util.concurrent.locks.Lock} view of {@code key}, backed by the
     * thread-bound key-based API: reentrant per thread like
     * {@link java.util.concurrent.locks.ReentrantLock}, and shared with {@link #lock(String)},
     * {@link #unlock(String)} and other views of the same key on this client.
     *
     * <ul>
     *   <li>{@code lock()} waits as long as it takes (not the options' wait timeout) and ignores
     *       interrupts while waiting (the interrupt status is set again when it returns);
     *       {@code lockInterruptibly()} waits as long as it takes, until interrupted.</li>
     *   <li>{@code tryLock()} makes one attempt; {@code tryLock(time, unit)} waits up to
     *       {@code time}.</li>
     *   <li>{@code unlock()} by a thread that does not hold the lock throws
     *       {@link IllegalMonitorStateException}; a lock that was lost before the unlock throws
     *       {@link LockLostException} (the hold is gone either way).</li>
     *   <li>{@code newCondition()} throws {@link UnsupportedOperationException}: a condition
     *       would need a wait/notify across processes.</li>
     *   <li>Failures of the store throw {@link LockBackendException}.</li>
     * </ul>
     *
     * @param key the lock key
     * @param options TTL, type and auto-renewal of the grants (its wait timeout and retries are
     *        not used: each {@code Lock} method says how long it waits)
     * @return the view
     */
    Lock asLock(String key, LockOptions options);

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
     * Acquires with the default options without blocking; see
     * {@link #acquireAsync(String, LockOptions)}.
     *
     * @param key the lock key
     * @return the future lease
     */
    default CompletableFuture<LockLease> acquireAsync(String key) {
        return acquireAsync(key, defaultOptions());
    }

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
     * Tries to acquire with the default options without blocking; see
     * {@link #tryAcquireAsync(String, LockOptions)}.
     *
     * @param key the lock key
     * @return the future lease, or empty if the lock is held by others
     */
    default CompletableFuture<Optional<LockLease>> tryAcquireAsync(String key) {
        return tryAcquireAsync(key, defaultOptions());
    }

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
    List<LockInfo> listLocks(String keyPrefix, int limit);

    /**
     * Lists held locks without blocking; see {@link #listLocks(String, int)}.
     *
     * @param keyPrefix the key prefix; empty for all keys
     * @param limit the most locks to return, 1 to 100,000
     * @return the future list, sorted by key
     */
    CompletableFuture<List<LockInfo>> listLocksAsync(String keyPrefix, int limit);

    /**
     * Returns a snapshot of the leases this client holds now: handles and thread-bound holds
     * (including those of {@link #asLock} views) alike, sorted by key. For diagnostics; it costs
     * no round trip and reflects only what this client knows (a lease listed here may be lost
     * the next moment).
     *
     * @return the held leases
     */
    List<LockLease> heldLeases();

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
