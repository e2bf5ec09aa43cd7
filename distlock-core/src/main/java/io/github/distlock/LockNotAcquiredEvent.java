package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * An acquire call of this client ended without the lock: it was busy, the wait timed out, the
 * caller gave up, or the store failed.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the call ended
 * @param outcome why it ended without the lock (never {@link AcquireOutcome#ACQUIRED})
 * @param acquireDuration from the acquire call until it ended
 * @param cause the failure for {@link AcquireOutcome#FAILED} and {@link AcquireOutcome#CANCELLED}, otherwise {@code null}
 */
public record LockNotAcquiredEvent(String key, LockType lockType, String backend, Instant timestamp,
        AcquireOutcome outcome, Duration acquireDuration, Throwable cause) implements LockEvent {

    /**
     * Checks the fields.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the call ended
     * @param outcome why it ended without the lock
     * @param acquireDuration from the acquire call until it ended
     * @param cause the failure, or {@code null}
     */
    public LockNotAcquiredEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(acquireDuration, "acquireDuration");
        if (outcome == null || outcome == AcquireOutcome.ACQUIRED) {
            throw new IllegalArgumentException("outcome must be a failure outcome, but was " + outcome);
        }
    }
}
