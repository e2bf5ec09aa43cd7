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
 */
public record AcquireRequest(LockClaim claim, Duration ttl, boolean autoRenew, boolean prepareWait) {

    /**
     * Validates the fields.
     *
     * @param claim key, type and owner token
     * @param ttl the requested TTL
     * @param autoRenew whether the watchdog renews the lock
     * @param prepareWait whether the caller will wait if busy
     */
    public AcquireRequest {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(ttl, "ttl");
    }
}
