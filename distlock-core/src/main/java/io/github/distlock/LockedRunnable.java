package io.github.distlock;

/**
 * Work to run while a lock is held; receives the lease (for its fencing token).
 *
 * @param <E> the checked exception the work may throw; it reaches the caller unchanged
 */
@FunctionalInterface
public interface LockedRunnable<E extends Exception> {

    /**
     * Runs the work.
     *
     * @param lease the held lease
     * @throws E whatever the work throws
     */
    void run(LockLease lease) throws E;
}
