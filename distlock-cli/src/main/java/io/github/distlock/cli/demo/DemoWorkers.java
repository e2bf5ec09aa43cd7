package io.github.distlock.cli.demo;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the demo's worker threads in this process. Each worker loops until the duration is
 * over: pick a random key, acquire its lock, and in the critical section check the fencing
 * token against the key's fenced register, then increment the key's counter with a plain read,
 * a {@link Thread#yield()} (to invite interleaving) and a write; then release.
 */
public final class DemoWorkers {

    /** Extra wait allowed past the end of the run for the last waiters. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final DistributedLock locks;
    private final SharedResource shared;
    private final DemoSettings settings;
    private final AtomicBoolean stop = new AtomicBoolean();
    private ExecutorService pool;
    private List<Future<WorkerStats>> futures;
    private long startNanos;

    /**
     * Prepares the workers.
     *
     * @param locks the client they share
     * @param shared the resource they protect
     * @param settings keys, threads, duration, TTL
     */
    public DemoWorkers(DistributedLock locks, SharedResource shared, DemoSettings settings) {
        this.locks = locks;
        this.shared = shared;
        this.settings = settings;
    }

    /** Starts the worker threads; they stop by themselves when the duration is over. */
    public void start() {
        LockOptions options = LockOptions.builder()
                .ttl(settings.ttl())
                .waitTimeout(settings.duration().plus(GRACE))
                .build();
        startNanos = System.nanoTime();
        long deadline = startNanos + settings.duration().toNanos();
        pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "distlock-demo-worker");
            t.setDaemon(true);
            return t;
        });
        futures = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            futures.add(pool.submit(() -> work(options, deadline)));
        }
        pool.shutdown();
    }

    /** @return when {@link #start()} was called, as {@link System#nanoTime()} */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Waits for the workers, at most until {@code deadlineNanos}.
     *
     * @param waitNanos how long to wait at most
     * @return whether all workers ended
     * @throws InterruptedException if interrupted
     */
    public boolean await(long waitNanos) throws InterruptedException {
        return pool.awaitTermination(waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Returns the merged stats of all workers once they ended; stops the others at the first failure.
     *
     * @return the stats
     * @throws InterruptedException if interrupted
     * @throws RuntimeException the first worker's failure (for example a backend error)
     */
    public WorkerStats result() throws InterruptedException {
        WorkerStats total = new WorkerStats();
        RuntimeException failure = null;
        for (Future<WorkerStats> f : futures) {
            try {
                total.add(f.get());
            } catch (ExecutionException e) {
                stop.set(true);
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        total.elapsedNanos = System.nanoTime() - startNanos;
        return total;
    }

    private WorkerStats work(LockOptions options, long deadline) throws InterruptedException {
        WorkerStats stats = new WorkerStats();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            while (!stop.get() && System.nanoTime() < deadline) {
                int k = random.nextInt(settings.keys());
                long asked = System.nanoTime();
                LockLease lease;
                try {
                    lease = locks.acquire(DemoSettings.key(k), options);
                } catch (LockAcquisitionTimeoutException e) {
                    break;
                }
                long held = System.nanoTime();
                if (settings.breakExclusion()) {
                    lease.release();
                }
                criticalSection(k, lease.fencingToken(), asked, held, stats);
                shared.lastRelease(k, System.nanoTime());
                if (!settings.breakExclusion() && !lease.release()) {
                    stats.leasesLost++;
                }
            }
        } catch (RuntimeException e) {
            stop.set(true);
            throw e;
        }
        stats.elapsedNanos = System.nanoTime() - startNanos;
        return stats;
    }

    private void criticalSection(int k, long token, long asked, long held, WorkerStats stats) {
        long previousRelease = shared.lastRelease(k);
        if (previousRelease > asked) {
            // This worker was already waiting when the previous holder let go: a hand-off.
            stats.handoff.record(held - previousRelease);
        }
        // A fenced resource: accept only tokens larger than any it has seen.
        if (token <= shared.fence(k)) {
            stats.staleTokens++;
        } else {
            shared.fence(k, token);
        }
        // A plain read-modify-write: only the lock keeps increments from being lost.
        long value = shared.counter(k);
        Thread.yield();
        shared.counter(k, value + 1);
        stats.acquisitions++;
        stats.acquire.record(held - asked);
    }
}
