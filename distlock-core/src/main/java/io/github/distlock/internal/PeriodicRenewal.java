package io.github.distlock.internal;

import io.github.distlock.AutoRenewal;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockLostException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews one lease by its TTL at a fixed interval, the brief's {@code AutoRenew}. Stops when
 * asked, when the lease is released, or when it is lost. A failed call to the store is retried
 * at the next tick; the lease's own validity decides when it counts as lost.
 */
public final class PeriodicRenewal implements AutoRenewal {

    private static final Logger log = LoggerFactory.getLogger(PeriodicRenewal.class);

    private final LockLease lease;
    private final ScheduledFuture<?> task;

    /**
     * Starts renewing.
     *
     * @param lease the lease to renew
     * @param interval time between renewals, shorter than the lease's TTL
     * @param scheduler where renewals run (they do not block it: renewal is async)
     */
    public PeriodicRenewal(LockLease lease, Duration interval, ScheduledExecutorService scheduler) {
        this.lease = lease;
        long nanos = interval.toNanos();
        this.task = scheduler.scheduleWithFixedDelay(this::renewOnce, nanos, nanos, TimeUnit.NANOSECONDS);
        lease.lost().whenComplete((loss, e) -> task.cancel(false));
    }

    private void renewOnce() {
        if (!lease.isHeld()) {
            task.cancel(false);
            return;
        }
        lease.renewAsync(lease.ttl()).whenComplete((v, e) -> {
            Throwable cause = e == null ? null : Exceptions.unwrap(e);
            if (cause instanceof LockLostException || (cause != null && !lease.isHeld())) {
                task.cancel(false);
            } else if (cause != null) {
                log.debug("Renewal of lock '{}' failed; retrying at the next interval", lease.key(), cause);
            }
        });
    }

    @Override
    public boolean isActive() {
        return !task.isDone();
    }

    @Override
    public CompletionStage<LockLoss> lost() {
        return lease.lost();
    }

    @Override
    public void stop() {
        task.cancel(false);
    }
}
