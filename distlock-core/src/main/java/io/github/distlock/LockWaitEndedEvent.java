package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * A wait reported by {@link LockWaitStartedEvent} ended: with the lock, or without it.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the wait ended
 * @param outcome how it ended
 * @param waitDuration from the first busy answer until the wait ended
 */
public record LockWaitEndedEvent(String key, LockType lockType, String backend, Instant timestamp,
        AcquireOutcome outcome, Duration waitDuration) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the wait ended
     * @param outcome how it ended
     * @param waitDuration from the first busy answer until the wait ended
     */
    public LockWaitEndedEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(outcome, "outcome");
        java.util.Objects.requireNonNull(waitDuration, "waitDuration");
    }
}
