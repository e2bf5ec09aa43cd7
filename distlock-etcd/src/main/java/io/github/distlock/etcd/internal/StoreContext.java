package io.github.distlock.etcd.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the acquire, release and renew flows share.
 *
 * @param ops the jetcd calls
 * @param driver the strategy
 * @param sessions the session leases
 * @param leasePool the reusable leases of explicit-TTL locks
 * @param claims the claims that left a key in the store, by owner token
 * @param signals the change notifications
 * @param cleanup background deletes and revocations
 * @param scheduler the backend's timer thread
 * @param recheckAfter how long a waiter waits without a notification before it looks again
 * @param released owner tokens the core released (gave up on) lately: an attempt still in
 *        flight for one of them must not leave a key behind
 */
record StoreContext(
        EtcdOps ops,
        StrategyDriver driver,
        Sessions sessions,
        LeasePool leasePool,
        ConcurrentHashMap<String, ClaimState> claims,
        ChangeSignals signals,
        Cleanup cleanup,
        ScheduledExecutorService scheduler,
        Duration recheckAfter,
        ReleasedOwners released) {

    Duration timeout() {
        return ops.timeout();
    }

    /** Records that the core released {@code owner}; forgets entries older than two minutes. */
    void markReleased(String owner) {
        released.add(owner);
    }

    /** @return whether the core already released (gave up on) {@code owner} */
    boolean wasReleased(String owner) {
        return released.contains(owner);
    }

    /** Whole seconds, rounded up, at least 1: etcd lease TTLs are whole seconds. */
    static long ceilSeconds(Duration ttl) {
        long s = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
