package io.github.distlock;

import java.time.Instant;

/**
 * A renewal of a lock this client holds failed because the store failed or did not answer in
 * time. The lock is not lost yet: the watchdog retries until the lease's TTL runs out, and only
 * then reports {@link LockLostEvent} ({@link LostReason#RENEWAL_FAILED}). A store that answers
 * that this owner no longer holds the key is reported as {@link LockLostEvent} at once instead.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the renewal failed
 * @param fencingToken the grant's fencing token
 * @param cause the failure
 */
public record LockRenewalFailedEvent(String key, LockType lockType, String backend, Instant timestamp,
        long fencingToken, Throwable cause) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the renewal failed
     * @param fencingToken the grant's fencing token
     * @param cause the failure
     */
    public LockRenewalFailedEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(cause, "cause");
    }
}
