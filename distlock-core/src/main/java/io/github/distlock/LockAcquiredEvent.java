package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock was granted to an acquire call of this client (a lease or a thread-bound hold).
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the grant arrived
 * @param fencingToken the grant's fencing token
 * @param ttl the TTL the store granted
 * @param acquireDuration from the acquire call until the grant (the acquire latency)
 * @param waited whether the call found the lock taken first and waited or retried
 */
public record LockAcquiredEvent(String key, LockType lockType, String backend, Instant timestamp, long fencingToken,
        Duration ttl, Duration acquireDuration, boolean waited) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the grant arrived
     * @param fencingToken the grant's fencing token
     * @param ttl the TTL the store granted
     * @param acquireDuration from the acquire call until the grant
     * @param waited whether the call waited or retried
     */
    public LockAcquiredEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(ttl, "ttl");
        java.util.Objects.requireNonNull(acquireDuration, "acquireDuration");
    }
}
