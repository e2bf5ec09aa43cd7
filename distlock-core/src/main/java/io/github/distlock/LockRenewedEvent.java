package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock this client holds was renewed, by the watchdog or by an explicit {@code renew}.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the renewal was answered
 * @param fencingToken the grant's fencing token (unchanged by renewal)
 * @param ttl the TTL the store granted
 */
public record LockRenewedEvent(String key, LockType lockType, String backend, Instant timestamp, long fencingToken,
        Duration ttl) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the renewal was answered
     * @param fencingToken the grant's fencing token
     * @param ttl the TTL the store granted
     */
    public LockRenewedEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(ttl, "ttl");
    }
}
