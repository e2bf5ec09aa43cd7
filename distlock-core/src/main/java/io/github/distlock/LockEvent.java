package io.github.distlock;

import java.time.Instant;

/**
 * Something that happened to a lock of one client, reported to the {@link LockEventListener}s
 * registered with {@link LockClientOptions.Builder#eventListener(LockEventListener)}.
 *
 * <p>One record type per kind of event; match on them with {@code instanceof} (or a pattern
 * {@code switch} on Java 21+). Every event carries the key, the lock type, the backend's name
 * and when the client saw it happen; the other fields depend on the kind.
 *
 * <p>For every {@link LockAcquiredEvent} exactly one {@link LockReleasedEvent} or
 * {@link LockLostEvent} follows, so a listener can count the locks currently held. An acquire
 * that had to wait reports {@link LockWaitStartedEvent} when it first finds the lock taken and
 * {@link LockWaitEndedEvent} when it ends; every acquire call ends with either
 * {@link LockAcquiredEvent} or {@link LockNotAcquiredEvent}. Re-entry of a thread-bound hold
 * ({@link DistributedLock#lock(String)} by the holding thread) is local and reports nothing.
 */
public sealed interface LockEvent permits LockAcquiredEvent, LockNotAcquiredEvent, LockReleasedEvent,
        LockRenewedEvent, LockRenewalFailedEvent, LockLostEvent, LockWaitStartedEvent, LockWaitEndedEvent {

    /** @return the lock key */
    String key();

    /** @return exclusive or shared */
    LockType lockType();

    /** @return the backend's name, as {@link DistributedLock#backendName()} returns it */
    String backend();

    /** @return when it happened, by the client's clock ({@link LockClientOptions#clock()}) */
    Instant timestamp();
}
