package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code changed} futures handed to the core while it waits. Completing or cancelling a
 * future closes its watch.
 *
 * <p>Two ways to arm a watch without a race. <em>From the past</em>: the watch starts at the
 * revision right after the transaction that found the lock busy, so a deletion made before the
 * watch existed is still delivered. But etcd serves a watch that starts in the past from its
 * "unsynced" group, which it catches up only every 100 ms, and on a busy key the revision moves
 * on between the transaction and the watch; that is how Go's {@code concurrency.Mutex} and
 * etcd's {@code Lock} service wait, and a FIFO queue pays up to 100 ms at every hand-off.
 * <em>From now</em>: the watch starts at the current revision and asks for its creation notice.
 * If the notice's revision is the one the transaction saw, nothing was written in between.
 * Otherwise one count-only read after the creation settles it: when the key (or every key under
 * a prefix) is already gone, the waiter is woken; when it is still there, its deletion comes
 * after the watch's start and is delivered. A deletion missed that way was followed by a new key
 * of the same name, which the waiter then waits for, as its next attempt would have.
 *
 * <p>The {@code MUTEX} queue watches from now: each hand-off wakes exactly one waiter, its
 * predecessor's successor, so that waiter's delay is the queue's. {@code TXN} waiters watch from
 * the past: they race for one key, and waking all of them at once on every release cost more
 * than etcd's catch-up (measured on one hot key with 8 threads: 741-776 hand-offs/s from the
 * past, 107-441 from now), while the catch-up delay of one waiter is hidden by the others.
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
    private final LongAdder armed = new LongAdder();

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
     * @param fromNow whether the watch starts at the current revision and checks once what it
     *     may have missed (see the class comment), else at {@code seenRevision + 1}
     * @return the future; cancel it to stop watching
     */
    CompletableFuture<Void> onDelete(ByteSequence key, boolean prefix, long seenRevision, boolean fromNow) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        WatchOption.Builder builder = WatchOption.builder().withNoPut(true).isPrefix(prefix);
        WatchOption option = (fromNow ? builder.withCreateNotify(true) : builder.withRevision(seenRevision + 1)).build();
        Watch.Watcher watcher;
        try {
            watcher = ops.watch(key, option, Watch.listener(
                    response -> {
                        if (response.isCreatedNotify()) {
                            created(response, key, prefix, seenRevision, changed);
                        } else if (!response.getEvents().isEmpty()) {
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
     * The watch exists from the revision of {@code notice} on (jetcd also sends a notice when it
     * re-creates the watch after a reconnect, from the revision it had reached). Wakes the waiter
     * if what it waits for happened before that.
     */
    private void created(WatchResponse notice, ByteSequence key, boolean prefix, long seenRevision,
            CompletableFuture<Void> changed) {
        if (notice.getHeader().getRevision() <= seenRevision) {
            armed.increment();
            return;
        }
        GetOption present = GetOption.builder().isPrefix(prefix).withCountOnly(true).build();
        ops.get(key, present).whenComplete((r, e) -> {
            if (e != null || r.getCount() == 0) {
                wake(changed); // gone already, or unknown: the waiter's next attempt looks
            } else {
                armed.increment();
            }
        });
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

    /**
     * @return how many watches from now were confirmed to have started before what they wait
     *     for happened (a waiter woken by its creation check is not counted); for tests
     */
    long confirmedWatches() {
        return armed.sum();
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
