package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;

/**
 * What one acquire transaction found.
 *
 * @param kind granted, queued (own key left in the store), blocked (nothing left) or entry lost
 * @param revision the claim's key's create revision (granted or queued), else 0
 * @param watchKey the key (or prefix) whose DELETE may free the lock; {@code null} if none
 * @param watchPrefix whether {@code watchKey} is a prefix
 * @param headerRevision the store revision the transaction saw; a watch starts after it
 */
record AttemptOutcome(Kind kind, long revision, ByteSequence watchKey, boolean watchPrefix, long headerRevision) {

    enum Kind { GRANTED, QUEUED, BLOCKED, ENTRY_LOST }

    static AttemptOutcome granted(long revision, long header) {
        return new AttemptOutcome(Kind.GRANTED, revision, null, false, header);
    }

    static AttemptOutcome queued(long revision, ByteSequence watchKey, boolean prefix, long header) {
        return new AttemptOutcome(Kind.QUEUED, revision, watchKey, prefix, header);
    }

    static AttemptOutcome blocked(ByteSequence watchKey, boolean prefix, long header) {
        return new AttemptOutcome(Kind.BLOCKED, 0, watchKey, prefix, header);
    }

    static AttemptOutcome entryLost(long header) {
        return new AttemptOutcome(Kind.ENTRY_LOST, 0, null, false, header);
    }
}
