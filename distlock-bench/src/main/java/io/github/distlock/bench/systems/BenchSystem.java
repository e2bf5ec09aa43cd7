package io.github.distlock.bench.systems;

/**
 * One lock implementation under test, opened for one measured run: a distlock backend, a peer
 * library (Redisson, jetcd, Curator) or a raw-client ceiling. The harness opens a fresh instance
 * for every (scenario, threads) run and closes it afterwards, so nothing carries over between
 * runs.
 *
 * <p>Implementations are thread-safe: the scenario drivers call {@link #lock} from many threads
 * at once. A {@link Held} handle is released on the thread that acquired it, because some peers
 * (Redisson {@code RLock}, Curator {@code InterProcessMutex}) bind ownership to the thread.
 *
 * <p>Every call that goes to a server must be bounded by a deadline, so a stuck server fails the
 * run instead of hanging it.
 */
public interface BenchSystem extends AutoCloseable {

    /**
     * Acquires {@code key} in {@code mode}, waiting while others hold it, as the system's users
     * would (watchdog-renewed or fixed TTL, as the system's {@link SystemSpec} describes).
     *
     * @param key the lock key
     * @param mode a mutex, or a side of a read-write lock (only systems in the shared-readers
     *     scenario support those)
     * @return the grant, to release on the same thread
     * @throws Exception if the store failed or a deadline passed
     */
    Held lock(String key, LockMode mode) throws Exception;

    /**
     * Acquires {@code key} exclusively with automatic renewal at the run's
     * {@link SystemConfig#renewTtl()}, for the held-locks scenario: the lock must stay held until
     * released, however long that is.
     *
     * @param key the lock key
     * @return the grant, to release on the same thread
     * @throws Exception if the store failed or a deadline passed
     */
    Held lockRenewed(String key) throws Exception;

    /** Closes the client and everything it opened; never throws. */
    @Override
    void close();

    /** A granted lock. */
    interface Held {
        /**
         * Releases the lock.
         *
         * @return {@code true} if the store still listed this owner (the lock had not been lost),
         *     when the system can tell; {@code true} when it cannot
         * @throws Exception if the store failed or a deadline passed
         */
        boolean unlock() throws Exception;
    }
}
