package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent store calls that must eventually happen (owner-checked deletes, revocations),
 * retried with backoff on transient failures. A key on a session lease would otherwise outlive
 * the lock the client gave up on for as long as the session lives.
 */
final class Cleanup {

    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);
    private static final long FIRST_DELAY_MS = 100;
    private static final long MAX_DELAY_MS = 2_000;
    /** Background retries give up after this long; by then the lease has usually ended. */
    private static final Duration BACKGROUND_BUDGET = Duration.ofMinutes(2);

    private final EtcdOps ops;
    private final ScheduledExecutorService scheduler;

    Cleanup(EtcdOps ops, ScheduledExecutorService scheduler) {
        this.ops = ops;
        this.scheduler = scheduler;
    }

    /**
     * Runs an idempotent call, retrying transient failures until {@code budget} is used up.
     *
     * @param call the call
     * @param budget total time allowed
     * @param <T> the result type
     * @return the result, or the last failure
     */
    <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<T>> call, Duration budget) {
        CompletableFuture<T> result = new CompletableFuture<>();
        run(call, System.nanoTime() + budget.toNanos(), FIRST_DELAY_MS, result);
        return result;
    }

    private <T> void run(Supplier<CompletableFuture<T>> call, long deadline, long delayMs, CompletableFuture<T> result) {
        call.get().whenComplete((v, e) -> {
            if (e == null) {
                result.complete(v);
                return;
            }
            long next = Math.min(delayMs * 2, MAX_DELAY_MS);
            if (!EtcdErrors.isTransient(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - deadline > 0) {
                result.completeExceptionally(e);
                return;
            }
            try {
                scheduler.schedule(() -> run(call, deadline, next, result), delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                result.completeExceptionally(e);
            }
        });
    }

    /** Deletes {@code key} if {@code owner} still owns it, retrying in the background. */
    void deleteInBackground(ByteSequence key, String owner) {
        retrying(() -> ops.deleteIfOwner(key, owner), BACKGROUND_BUDGET).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("Could not delete lock key {} of a released or abandoned claim; it lives until its lease ends",
                        KeyLayout.shown(key, owner), e);
            }
        });
    }

    /**
     * Deletes {@code key} after {@code delay} if {@code owner} still owns it and
     * {@code stillAbandoned} says so then: removes a write that was applied after its caller
     * had given up on it.
     */
    void sweepLater(ByteSequence key, String owner, Duration delay, Predicate<String> stillAbandoned) {
        try {
            scheduler.schedule(() -> {
                if (stillAbandoned.test(owner)) {
                    deleteInBackground(key, owner);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // closing: the session leases are revoked, which deletes the key
        }
    }

    /** Revokes a lease of a claim's own (deleting any key left on it), retrying in the background. */
    void revokeInBackground(long leaseId) {
        retrying(() -> ops.revoke(leaseId), BACKGROUND_BUDGET).whenComplete((v, e) -> {
            if (e != null && !EtcdErrors.isLeaseNotFound(e)) {
                log.debug("Could not revoke etcd lease {}; it expires with its TTL", Long.toHexString(leaseId), e);
            }
        });
    }
}
