package io.github.distlock.etcd;

/**
 * How locks are laid out in etcd. All clients of one lock must use the same strategy and key
 * prefix: a {@code TXN} lock and a {@code MUTEX} lock with the same name are different locks.
 */
public enum EtcdLockStrategy {

    /**
     * One key per lock, taken with a transaction "create revision == 0, then put with the lease,
     * else get"; released by a transaction that compares the owner value. Waiters watch the lock
     * key and race for it when it is deleted (no queue, no fairness between exclusive waiters).
     * Shared holders each own a key under the lock key; a waiting exclusive claim keeps the lock
     * key as a marker, so new readers wait behind it. The cheapest strategy when contention is low.
     */
    TXN,

    /**
     * The Go client's {@code concurrency.Mutex}, implemented on the client: every contender puts
     * its own key under the lock's queue prefix, the lowest create revision holds the lock (FIFO),
     * and a waiter watches only its predecessor (no thundering herd). Readers queue with writers
     * by revision, so writers are never starved. Pick it for hot locks with many waiters, or when
     * first-come-first-served matters.
     */
    MUTEX
}
