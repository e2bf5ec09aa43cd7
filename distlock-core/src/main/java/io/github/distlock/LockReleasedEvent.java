package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock this client held was released (by {@link LockLease#release()}, {@code unlock}, or
 * closing the client). Also reported when the store could not be reached for the release: the
 * lease is released locally and the store lets it expire with its TTL.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the release was answered (or failed)
 * @param fencingToken the released grant's fencing token
 * @param heldDuration from the grant until the release
 */
public record LockReleasedEvent(String key, LockType lockType, String backend, Instant timestamp, long fencingToken,
        Duration heldDuration) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the release was answered
     * @param fencingToken the released grant's fencing token
     * @param heldDuration from the grant until the release
     */
    public LockReleasedEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(heldDuration, "heldDuration");
    }
}
