package io.github.distlock.internal;

import io.github.distlock.LostReason;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per client: renews every auto-renewed lease and marks leases lost when their validity
 * ends, from a single scheduled task (no thread or timer per lock).
 *
 * <p>Leases sit in one queue ordered by their next due time: the renewal time (a third of the
 * TTL after the last renewal was sent) for auto-renewed leases, the end of validity otherwise.
 * When the task wakes it takes every lease that is due, plus every auto-renewed lease due within
 * half a renewal interval, and renews them with batched {@code renewAll} calls, so that thousands
 * of leases cost a few round trips per interval. A lease whose validity ends while renewal keeps
 * failing is marked lost.
 */
final class LeaseWatchdog {

    private static final Logger log = LoggerFactory.getLogger(LeaseWatchdog.class);

    /** Largest batch handed to the backend in one {@code renewAll} call. */
    static final int MAX_BATCH = 500;
    /** Pause before retrying a failed renewal (bounded by the lease's validity). */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final DefaultDistributedLock client;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<DefaultLockLease> queue = new TreeSet<>(
            Comparator.comparingLong((DefaultLockLease l) -> l.dueNanos).thenComparingLong(DefaultLockLease::sequence));
    private ScheduledFuture<?> wake;
    private long wakeAtNanos;
    private long maxWindowNanos;
    private boolean stopped;

    LeaseWatchdog(DefaultDistributedLock client, ScheduledExecutorService scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    /** Starts watching a newly granted lease. */
    void track(DefaultLockLease lease) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            lease.tracked = true;
            enqueue(lease);
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching a released or lost lease. */
    void untrack(DefaultLockLease lease) {
        lock.lock();
        try {
            if (lease.tracked) {
                queue.remove(lease);
                lease.tracked = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Re-sorts a lease after its validity changed (a manual renewal). */
    void reposition(DefaultLockLease lease) {
        lock.lock();
        try {
            if (lease.tracked && !lease.renewInFlight) {
                queue.remove(lease);
                enqueue(lease);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of leases being watched. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            if (wake != null) {
                wake.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }

    // Caller holds the lock; the lease is not in the queue.
    private void enqueue(DefaultLockLease lease) {
        long due = lease.validUntilNanos();
        if (lease.autoRenew() && !lease.renewInFlight) {
            long renewAt = lease.renewAtNanos();
            if (lease.lastRenewalError != null) {
                renewAt = System.nanoTime() + Math.min(RETRY_NANOS, lease.renewIntervalNanos());
            }
            if (renewAt - due < 0) {
                due = renewAt;
            }
            maxWindowNanos = Math.max(maxWindowNanos, lease.renewIntervalNanos() / 2);
        }
        lease.dueNanos = due;
        queue.add(lease);
        if (wake == null || due - wakeAtNanos < 0) {
            schedule(due);
        }
    }

    // Caller holds the lock.
    private void schedule(long dueNanos) {
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAtNanos = dueNanos;
        long delay = Math.max(0, dueNanos - System.nanoTime());
        try {
            wake = scheduler.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException clientClosed) {
            wake = null;
            stopped = true;
        }
    }

    private void tick() {
        List<DefaultLockLease> expired = new ArrayList<>();
        List<DefaultLockLease> renewals = new ArrayList<>();
        List<DefaultLockLease> resort = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            wake = null;
            if (stopped) {
                return;
            }
            Iterator<DefaultLockLease> it = queue.iterator();
            while (it.hasNext()) {
                DefaultLockLease lease = it.next();
                if (lease.dueNanos - now > maxWindowNanos) {
                    break;
                }
                boolean due = lease.dueNanos - now <= 0;
                if (now - lease.validUntilNanos() >= 0) {
                    it.remove();
                    lease.tracked = false;
                    expired.add(lease);
                } else if (lease.autoRenew() && !lease.renewInFlight
                        && (due || lease.dueNanos - lease.renewIntervalNanos() / 2 - now <= 0)) {
                    it.remove();
                    lease.renewInFlight = true;
                    renewals.add(lease);
                } else if (due) {
                    // Its validity was extended while it sat in the queue (a manual renewal).
                    it.remove();
                    resort.add(lease);
                }
            }
            // Renewing leases stay queued at the end of their validity, so that a renewal that
            // never answers still ends in a loss.
            renewals.forEach(this::enqueue);
            resort.forEach(this::enqueue);
            if (wake == null && !queue.isEmpty()) {
                schedule(queue.first().dueNanos);
            }
        } finally {
            lock.unlock();
        }
        for (DefaultLockLease lease : expired) {
            Throwable error = lease.lastRenewalError;
            lease.markLost(error != null ? LostReason.RENEWAL_FAILED : LostReason.EXPIRED, error);
        }
        for (int from = 0; from < renewals.size(); from += MAX_BATCH) {
            renew(renewals.subList(from, Math.min(renewals.size(), from + MAX_BATCH)));
        }
    }

    private void renew(List<DefaultLockLease> batch) {
        List<DefaultLockLease> leases = List.copyOf(batch);
        List<RenewRequest> requests = new ArrayList<>(leases.size());
        for (DefaultLockLease lease : leases) {
            requests.add(new RenewRequest(lease.claim(), lease.ttl()));
        }
        long sentNanos = System.nanoTime();
        Instant sentAt = client.clock().instant();
        client.calls().renewAll(requests).whenComplete((results, error) -> {
            if (error != null) {
                log.debug("Renewal of {} locks on {} failed; retrying until their TTL runs out", leases.size(),
                        client.backendName(), error);
            }
            for (int i = 0; i < leases.size(); i++) {
                DefaultLockLease lease = leases.get(i);
                RenewResult result = error == null ? results.get(i) : null;
                boolean notHeld = result != null && !result.renewed();
                lock.lock();
                try {
                    lease.renewInFlight = false;
                    lease.lastRenewalError = error;
                } finally {
                    lock.unlock();
                }
                if (notHeld) {
                    lease.markLost(LostReason.NOT_OWNER, null);
                } else if (result != null) {
                    lease.applyRenewal(sentNanos, sentAt, result.ttl());
                } else {
                    reposition(lease);
                }
            }
        });
    }
}
