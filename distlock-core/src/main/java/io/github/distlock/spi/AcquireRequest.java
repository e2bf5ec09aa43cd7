package io.github.distlock.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One acquire attempt. The core repeats attempts with the same claim while it waits, so a
 * backend that queues waiters (etcd's mutex) recognises its own queue entry by the owner token.
 *
 * @param claim key, type and owner token
 * @param ttl the requested TTL, already validated against the backend's granularity
 * @param autoRenew whether the core's watchdog will renew this lock (etcd puts such locks on
 *        the client's shared session lease)
 * @param prepareWait whether the caller will wait if the lock is busy: the backend must then
 *        arm a change notification <em>before</em> it checks the lock, so a release between the
 *        check and the wait is not missed, and return it in {@link AcquireResult.Busy#changed()}
 * @param willWait whether the caller will wait if the lock is busy, even when it did not ask to
 *        prepare the wait (the first attempt of a waiting acquire does not, so that the
 *        uncontended path stays cheap): a backend for which preparing is free at that moment
 *        (the Redis backend, on a key this client already waits on) may prepare it anyway and
 *        return the notification, saving the caller a second attempt
 * @param completeInline whether the backend may complete the returned future on its own I/O
 *        threads: the core then runs only its own non-blocking code when it completes (no
 *        event listener, no application stage; a thread blocked in a synchronous call is woken),
 *        so a backend that hands completions off its I/O threads to keep application code off
 *        them may skip that hand-off
 */
public record AcquireRequest(LockClaim claim, Duration ttl, boolean autoRenew, boolean prepareWait, boolean willWait,
        boolean completeInline) {

    /**
     * A request whose caller will wait exactly when it asks to prepare the wait.
     *
     * @param claim key, type and owner token
     * @param ttl the requested TTL
     * @param autoRenew whether the watchdog renews the lock
     * @param prepareWait whether the caller will wait if busy
     */
    public AcquireRequest(LockClaim claim, Duration ttl, boolean autoRenew, boolean prepareWait) {
        this(claim, ttl, autoRenew, prepareWait, prepareWait, false);
    }

    /**
     * A request whose completion may run application code (see {@link #completeInline()}).
     *
     * @param claim key, type and owner token
     * @param ttl the requested TTL
     * @param autoRenew whether the watchdog renews the lock
     * @param prepareWait whether the caller will wait if busy
     * @param willWait whether the caller will wait if busy, prepared or not
     */
    public AcquireRequest(LockClaim claim, Duration ttl, boolean autoRenew, boolean prepareWait, boolean willWait) {
        this(claim, ttl, autoRenew, prepareWait, willWait, false);
    }

    /**
     * Validates the fields.
     *
     * @param claim key, type and owner token
     * @param ttl the requested TTL
     * @param autoRenew whether the watchdog renews the lock
     * @param prepareWait whether the caller will wait if busy
     * @param willWait whether the caller will wait if busy, prepared or not
     * @param completeInline whether the returned future may complete on the backend's I/O threads
     */
    public AcquireRequest {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(ttl, "ttl");
    }
}
