package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.github.distlock.LockInfo;
import io.github.distlock.spi.LockClaim;
import java.util.concurrent.CompletableFuture;

/**
 * One strategy's store layout and transactions. Every attempt is one transaction, idempotent for
 * a given owner token: a repeated attempt finds the key the first one wrote and interprets it.
 */
interface StrategyDriver {

    /**
     * @param claim the claim
     * @return the key that records this owner (holder key, queue entry or reader key)
     */
    ByteSequence ownKey(LockClaim claim);

    /**
     * Whether {@link #ownKey} names this claim alone (the key carries the owner token), so that
     * its release can be a plain delete with no owner check ({@link EtcdOps#deleteOwnersKey}).
     *
     * @param claim the claim
     * @return true for MUTEX queue entries and TXN reader keys, false for the TXN holder key
     */
    boolean ownKeyNamesTheOwner(LockClaim claim);

    /**
     * How a waiter's watch is armed ({@link ChangeSignals#onDelete}): from the current revision,
     * with one check of what it may have missed, or from the revision after the waiter's
     * transaction.
     *
     * @return true where one waiter is woken per release (a queue), false where waiters race
     */
    boolean watchesFromNow();

    /**
     * Makes one acquire attempt.
     *
     * @param claim the claim
     * @param leaseId the lease to attach a new key to
     * @param queuedRevision the create revision of the owner's queue entry from an earlier attempt,
     *        or 0 when the owner has none
     * @return what the transaction found
     */
    CompletableFuture<AttemptOutcome> attempt(LockClaim claim, long leaseId, long queuedRevision);

    /**
     * Reads a lock's state.
     *
     * @param key the lock key
     * @return holders, type, fencing token and the holder leases (remaining TTL filled in later)
     */
    CompletableFuture<Snapshot> inspect(String key);

    /**
     * Interprets the keys of one lock read by a ranged scan.
     *
     * @param key the lock key
     * @param keys every store key of that lock (any order)
     * @return the lock's state
     */
    Snapshot interpret(String key, java.util.List<io.etcd.jetcd.KeyValue> keys);

    /**
     * A lock's holders as read from the store.
     *
     * @param info the lock info, with a zero remaining TTL
     * @param leases the leases of the holders' keys
     */
    record Snapshot(LockInfo info, java.util.Set<Long> leases) {
    }
}
