package io.github.distlock.internal;

import io.github.distlock.LostReason;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per client: renews every auto-renewed lease and marks leases lost when their validity
 * ends, from a single scheduled task (no thread or timer per lock).
 *
 * <p>Leases sit in one concurrent queue ordered by their next due time: the renewal time (a third
 * of the TTL after the last renewal was sent) for auto-renewed leases, the end of validity
 * otherwise. Adding and removing a lease takes no lock, so the acquire/release hot path does not
 * serialise on the watchdog. When the task wakes it takes every lease that is due, plus every
 * auto-renewed lease due within half a renewal interval, and renews them with batched
 * {@code renewAll} calls, so thousands of leases cost a few round trips per interval. A lease
 * whose validity ends while renewal keeps failing is marked lost.
 *
 * <p>A lease's queue membership and {@code dueNanos} change only under that lease's own lock
 * (uncontended in practice), and {@code dueNanos} only while the lease is out of the queue.
 */
final class LeaseWatchdog {

    private static final Logger log = LoggerFactory.getLogger(LeaseWatchdog.class);

    /** Largest batch handed to the backend in one {@code renewAll} call. */
    static final int MAX_BATCH = 500;
    /** Pause before retrying a failed renewal (bounded by the lease's validity). */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final DefaultDistributedLock client;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentSkipListSet<DefaultLockLease> queue = new ConcurrentSkipListSet<>(
            Comparator.comparingLong((DefaultLockLease l) -> l.dueNanos).thenComparingLong(DefaultLockLease::sequence));
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final AtomicLong maxWindowNanos = new AtomicLong();
    private volatile long wakeAtNanos;
    private volatile boolean wakeScheduled;
    private ScheduledFuture<?> wake;
    private volatile boolean stopped;

    LeaseWatchdog(DefaultDistributedLock client, ScheduledExecutorService scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    /** Starts watching a newly granted lease. */
    void track(DefaultLockLease lease) {
        if (stopped) {
            return;
        }
        lease.watchLock().lock();
        try {
            enqueue(lease);
        } finally {
            lease.watchLock().unlock();
        }
    }

    /** Stops watching a released or lost lease. */
    void untrack(DefaultLockLease lease) {
        lease.watchLock().lock();
        try {
            queue.remove(lease);
        } finally {
            lease.watchLock().unlock();
        }
    }

    /** Re-sorts a lease after its validity changed (a manual renewal). */
    void reposition(DefaultLockLease lease) {
        lease.watchLock().lock();
        try {
            if (queue.remove(lease)) {
                enqueue(lease);
            }
        } finally {
            lease.watchLock().unlock();
        }
    }

    /** Number of leases being watched. */
    int size() {
        return queue.size();
    }

    void stop() {
        stopped = true;
        queue.clear();
        wakeLock.lock();
        try {
            if (wake != null) {
                wake.cancel(false);
            }
        } finally {
            wakeLock.unlock();
        }
    }

    // Caller holds the lease's lock; the lease is not in the queue.
    private void enqueue(DefaultLockLease lease) {
        if (lease.state() != DefaultLockLease.State.HELD) {
            return;
        }
        long due = lease.validUntilNanos();
        if (lease.autoRenew() && !lease.renewInFlight) {
            long renewAt = lease.lastRenewalError != null
                    ? System.nanoTime() + Math.min(RETRY_NANOS, lease.renewIntervalNanos())
                    : lease.renewAtNanos();
            if (renewAt - due < 0) {
                due = renewAt;
            }
            long window = lease.renewIntervalNanos() / 2;
            if (window > maxWindowNanos.get()) {
                maxWindowNanos.accumulateAndGet(window, Math::max);
            }
        }
        lease.dueNanos = due;
        queue.add(lease);
        if (!wakeScheduled || due - wakeAtNanos < 0) {
            scheduleWake(due);
        }
    }

    private void scheduleWake(long dueNanos) {
        wakeLock.lock();
        try {
            if (stopped || (wakeScheduled && dueNanos - wakeAtNanos >= 0)) {
                return;
            }
            if (wake != null) {
                wake.cancel(false);
            }
            wakeAtNanos = dueNanos;
            wakeScheduled = true;
            try {
                wake = scheduler.schedule(this::tick, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException clientClosed) {
                stopped = true;
                wakeScheduled = false;
            }
        } finally {
            wakeLock.unlock();
        }
    }

    private void tick() {
        wakeLock.lock();
        try {
            wakeScheduled = false;
            wake = null;
        } finally {
            wakeLock.unlock();
        }
        if (stopped) {
            return;
        }
        List<DefaultLockLease> expired = new ArrayList<>();
        List<DefaultLockLease> renewals = new ArrayList<>();
        long now = System.nanoTime();
        long window = maxWindowNanos.get();
        for (DefaultLockLease lease : queue) {
            if (lease.dueNanos - now > window) {
                break;
            }
            boolean due = lease.dueNanos - now <= 0;
            boolean renewable = lease.autoRenew() && !lease.renewInFlight
                    && (due || lease.dueNanos - lease.renewIntervalNanos() / 2 - now <= 0);
            if (!due && !renewable) {
                continue;
            }
            lease.watchLock().lock();
            try {
                if (!queue.remove(lease) || lease.state() != DefaultLockLease.State.HELD) {
                    continue; // released or repositioned concurrently
                }
                if (now - lease.validUntilNanos() >= 0) {
                    expired.add(lease);
                } else if (renewable) {
                    // Renewing leases stay queued at the end of their validity, so that a
                    // renewal that never answers still ends in a loss.
                    lease.renewInFlight = true;
                    renewals.add(lease);
                    enqueue(lease);
                } else {
                    enqueue(lease); // its validity was extended while it sat in the queue
                }
            } finally {
                lease.watchLock().unlock();
            }
        }
        for (DefaultLockLease lease : expired) {
            Throwable error = lease.lastRenewalError;
            lease.markLost(error != null ? LostReason.RENEWAL_FAILED : LostReason.EXPIRED, error);
        }
        for (int from = 0; from < renewals.size(); from += MAX_BATCH) {
            renew(renewals.subList(from, Math.min(renewals.size(), from + MAX_BATCH)));
        }
        DefaultLockLease first = queue.isEmpty() ? null : firstOrNull();
        if (first != null) {
            scheduleWake(first.dueNanos);
        }
    }

    private DefaultLockLease firstOrNull() {
        try {
            return queue.first();
        } catch (java.util.NoSuchElementException empty) {
            return null;
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
        client.calls().renewAll(requests).whenComplete((results, failure) -> {
            Throwable error = failure == null ? null : Exceptions.unwrap(failure);
            if (error != null) {
                log.debug("Renewal of {} locks on {} failed; retrying until their TTL runs out", leases.size(),
                        client.backendName(), error);
            }
            for (int i = 0; i < leases.size(); i++) {
                DefaultLockLease lease = leases.get(i);
                RenewResult result = error == null ? results.get(i) : null;
                boolean lost = result != null && !result.renewed();
                boolean renewed = false;
                lease.watchLock().lock();
                try {
                    boolean queued = queue.remove(lease);
                    lease.renewInFlight = false;
                    lease.lastRenewalError = error;
                    if (!lost && result != null) {
                        renewed = lease.recordRenewal(sentNanos, sentAt, result.ttl());
                    }
                    if (queued && !lost) {
                        enqueue(lease);
                    }
                } finally {
                    lease.watchLock().unlock();
                }
                if (lost) {
                    lease.markLost(LostReason.NOT_OWNER, null);
                } else if (result != null && !lease.isHeld()) {
                    // The renewal was sent after the local validity had already ended.
                    lease.markLost(LostReason.EXPIRED, null);
                } else if (renewed) {
                    lease.reportRenewed();
                } else if (error != null) {
                    lease.reportRenewalFailed(error);
                }
            }
        });
    }
}
