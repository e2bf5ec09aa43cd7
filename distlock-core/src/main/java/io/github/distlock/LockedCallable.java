package io.github.distlock;

/**
 * Work that returns a value, run while a lock is held; receives the lease (for its fencing token).
 *
 * @param <T> the result type
 * @param <E> the checked exception the work may throw; it reaches the caller unchanged
 */
@FunctionalInterface
public interface LockedCallable<T, E extends Exception> {

    /**
     * Runs the work.
     *
     * @param lease the held lease
     * @return the result
     * @throws E whatever the work throws
     */
    T call(LockLease lease) throws E;
}
