package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code changed} futures handed to the core while it waits. A watch starts at the revision
 * right after the transaction that found the lock busy, so a deletion between that transaction
 * and the watch's creation is still delivered: arming is race-free. Completing or cancelling a
 * future closes its watch.
 *
 * <p>Transient watch errors do not wake the waiter: jetcd resumes the watch from the last
 * revision it saw. A watch that ends (halting error, compaction, client closed) wakes it, and
 * the core's next attempt re-arms a new one.
 */
final class ChangeSignals {

    private final EtcdOps ops;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.Executor callbacks;
    private final Set<CompletableFuture<Void>> live = ConcurrentHashMap.newKeySet();

    ChangeSignals(EtcdOps ops, ScheduledExecutorService scheduler, java.util.concurrent.Executor callbacks) {
        this.ops = ops;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
    }

    /**
     * Completes when {@code key} (or a key under it, for a prefix) is deleted after
     * {@code seenRevision}.
     *
     * @param key the key or prefix
     * @param prefix whether {@code key} is a prefix
     * @param seenRevision the revision at which the caller saw the key present
     * @return the future; cancel it to stop watching
     */
    CompletableFuture<Void> onDelete(ByteSequence key, boolean prefix, long seenRevision) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        WatchOption option = WatchOption.builder().withRevision(seenRevision + 1).withNoPut(true).isPrefix(prefix).build();
        Watch.Watcher watcher;
        try {
            watcher = ops.watch(key, option, Watch.listener(
                    response -> {
                        if (!response.getEvents().isEmpty()) {
                            wake(changed);
                        }
                    },
                    transientError -> {
                        // jetcd resumes the watch itself; a halting error ends in onCompleted.
                    },
                    () -> wake(changed)));
        } catch (RuntimeException clientClosed) {
            changed.complete(null);
            return changed;
        }
        track(changed);
        changed.whenComplete((v, e) -> watcher.close());
        return changed;
    }

    /**
     * Completes after {@code delay}: a wake-up without a store event (retry after a failure).
     *
     * @param delay the delay
     * @return the future
     */
    CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        try {
            var timer = scheduler.schedule(() -> wake(changed), delay.toNanos(), TimeUnit.NANOSECONDS);
            changed.whenComplete((v, e) -> timer.cancel(false));
        } catch (RejectedExecutionException closed) {
            changed.complete(null);
            return changed;
        }
        track(changed);
        return changed;
    }

    /**
     * Wakes a waiter on a callback thread (signals arrive on jetcd's event loop).
     *
     * @param changed the waiter's future
     */
    void wake(CompletableFuture<Void> changed) {
        if (!changed.isDone()) {
            callbacks.execute(() -> changed.complete(null));
        }
    }

    private void track(CompletableFuture<Void> changed) {
        live.add(changed);
        changed.whenComplete((v, e) -> live.remove(changed));
    }

    /** @return the number of armed notifications; for tests */
    int size() {
        return live.size();
    }

    /** Cancels every armed notification (the backend is closing). */
    void closeAll() {
        for (CompletableFuture<Void> f : List.copyOf(live)) {
            f.cancel(false);
        }
    }
}
