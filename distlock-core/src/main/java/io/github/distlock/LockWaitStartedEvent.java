package io.github.distlock;

import java.time.Duration;
import java.time.Instant;

/**
 * An acquire call found the lock taken and starts waiting for it ({@code lock}/{@code acquire})
 * or retrying ({@code tryLock}/{@code tryAcquire} with retries). Reported once per call; the
 * matching {@link LockWaitEndedEvent} follows.
 *
 * @param key the lock key
 * @param lockType exclusive or shared
 * @param backend the backend's name
 * @param timestamp when the first busy answer arrived
 * @param waitTimeout how long the call waits at most ({@link LockOptions#WAIT_FOREVER} for no
 *        limit); for retrying calls, the retry count times the retry delay
 */
public record LockWaitStartedEvent(String key, LockType lockType, String backend, Instant timestamp,
        Duration waitTimeout) implements LockEvent {

    /**
     * Checks that no field is {@code null}.
     *
     * @param key the lock key
     * @param lockType exclusive or shared
     * @param backend the backend's name
     * @param timestamp when the first busy answer arrived
     * @param waitTimeout how long the call waits at most
     */
    public LockWaitStartedEvent {
        EventFields.require(key, lockType, backend, timestamp);
        java.util.Objects.requireNonNull(waitTimeout, "waitTimeout");
    }
}
