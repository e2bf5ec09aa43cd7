package io.github.distlock.etcd.internal;

import io.etcd.jetcd.support.CloseableClient;
import io.github.distlock.spi.LockClaim;
import java.util.concurrent.CompletableFuture;

/**
 * What this client knows about a claim that left a key in the store: a queue entry (waiting) or
 * a grant (held). Claims that left nothing behind have no state.
 */
final class ClaimState {

    enum Status { QUEUED, HELD }

    final LockClaim claim;
    volatile LeaseRef lease;
    volatile Status status;
    /** The create revision of the claim's key: the MUTEX queue position and the fencing token. */
    volatile long revision;
    /** Keeps a claim's own lease alive while it is queued; {@code null} otherwise. */
    volatile CloseableClient queueKeepAlive;
    /** The latest wake-up handed to the core while queued. */
    volatile CompletableFuture<Void> changed;
    /** Completes when the claim's own lease is lost while queued. */
    final CompletableFuture<Void> entryLost = new CompletableFuture<>();

    ClaimState(LockClaim claim, LeaseRef lease, Status status, long revision) {
        this.claim = claim;
        this.lease = lease;
        this.status = status;
        this.revision = revision;
    }

    /** Stops the queue keep-alive, if any. */
    void stopQueueKeepAlive() {
        CloseableClient k = queueKeepAlive;
        queueKeepAlive = null;
        if (k != null) {
            try {
                k.close();
            } catch (RuntimeException ignored) {
                // the lease client is closing anyway
            }
        }
    }
}
