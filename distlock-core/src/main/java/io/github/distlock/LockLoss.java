package io.github.distlock;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link LockLease#lost()} completes with: which lock was lost, why, and when the client
 * noticed.
 *
 * @param key the lock key
 * @param fencingToken the fencing token of the lost grant
 * @param reason why it was lost
 * @param detectedAt when this client noticed (by the client's clock)
 * @param cause the failure behind it (for example the last renewal error), or {@code null}
 */
public record LockLoss(String key, long fencingToken, LostReason reason, Instant detectedAt, Throwable cause) {

    /**
     * Validates the fields.
     *
     * @param key the lock key
     * @param fencingToken the fencing token of the lost grant
     * @param reason why it was lost
     * @param detectedAt when this client noticed
     * @param cause the failure behind it, or {@code null}
     */
    public LockLoss {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }
}
