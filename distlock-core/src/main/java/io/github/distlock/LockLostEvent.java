package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock this client held was lost: its TTL ran out, renewal kept failing, or the store names
 * another owner. The same moment {@link LockLease#lost()} completes.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when this client noticed
 * @param fencingToken the lost grant's fencing token
 * @param reason why it was lost
 * @param heldDuration from the grant until the loss was noticed
 * @param cause the failure behind it (for example the last renewal error), or {@code null}
 */
public record LockLostEvent(String key, LockType lockType, String backend, Instant timestamp, long fencingToken,
        LostReason reason, Duration heldDuration, Throwable cause) implements LockEvent {

    /**
     * Checks the fields.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when this client noticed
     * @param fencingToken the lost grant's fencing token
     * @param reason why it was lost
     * @param heldDuration from the grant until the loss was noticed
     * @param cause the failure behind it, or {@code null}
     */
    public LockLostEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(reason, "reason");
        java.util.Objects.requireNonNull(heldDuration, "heldDuration");
    }
}
