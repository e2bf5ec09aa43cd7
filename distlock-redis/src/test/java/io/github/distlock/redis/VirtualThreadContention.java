package io.github.distlock.redis;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * The worker JVM of {@link RedisVirtualThreadsIT}, run on a JDK 21+: many virtual threads
 * contend for a few Redis locks through the blocking API (half through the
 * {@link java.util.concurrent.locks.Lock} view, half through leases), each incrementing a
 * per-key counter with a read, a yield and a write inside its critical section. JFR records every
 * {@code jdk.VirtualThreadPinned} event (a virtual thread that blocked while pinned to its
 * carrier) during the measured round, after a small warm-up round. Compiled for Java 17, so
 * virtual threads are created reflectively.
 *
 * <p>Prints one line {@code RESULT virtual=true threads=N acquisitions=N lostUpdates=N pinned=N}
 * on stdout, after a {@code PINNED ...} line with the stack of each pinned event.
 */
public final class VirtualThreadContention {

    private static final int WARM_UP_THREADS = 200;
    private static final int WARM_UP_KEYS = 10;

    private VirtualThreadContention() {
    }

    /**
     * Runs the contention.
     *
     * @param args Redis URI, number of virtual threads, number of keys, deadline in seconds
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int threads = Integer.parseInt(args[1]);
        int keys = Integer.parseInt(args[2]);
        Duration deadline = Duration.ofSeconds(Long.parseLong(args[3]));

        try (DistributedLock a = DistributedLocks.open(uri); DistributedLock b = DistributedLocks.open(uri)) {
            // Warm-up: the first use of a class on a virtual thread loads and initialises it while
            // pinned (the JVM's doing, once per class); only what follows is measured.
            round(a, b, WARM_UP_THREADS, WARM_UP_KEYS, deadline);

            Queue<String> pinned = new ConcurrentLinkedQueue<>();
            AtomicInteger pinnedCount = new AtomicInteger();
            Round measured;
            try (RecordingStream jfr = new RecordingStream()) {
                jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                jfr.onEvent("jdk.VirtualThreadPinned", e -> {
                    pinnedCount.incrementAndGet();
                    pinned.add(describe(e));
                });
                jfr.startAsync();
                measured = round(a, b, threads, keys, deadline);
                // Flushes the recording: every pinned event has been delivered when stop() returns.
                RecordingStream.class.getMethod("stop").invoke(jfr);
            }
            for (String p : pinned) {
                System.out.println("PINNED " + p);
            }
            System.out.println("RESULT virtual=" + (measured.virtualThreads() == threads) + " threads=" + threads
                    + " acquisitions=" + measured.acquisitions() + " lostUpdates=" + measured.lostUpdates()
                    + " pinned=" + pinnedCount.get());
        }
    }

    /**
     * Starts {@code threads} virtual threads at once, each taking one of {@code keys} locks once
     * (even ones through client {@code a}'s Lock view, odd ones through a lease of client {@code b}).
     */
    private static Round round(DistributedLock a, DistributedLock b, int threads, int keys, Duration deadline)
            throws Exception {
        long[] counters = new long[keys];
        String run = UUID.randomUUID().toString();
        AtomicLong acquisitions = new AtomicLong();
        AtomicInteger virtualThreads = new AtomicInteger();
        LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(30)).build();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService executor = newVirtualThreadPerTaskExecutor();
        List<Future<?>> tasks = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int n = i;
            tasks.add(executor.submit(() -> {
                if (isVirtual(Thread.currentThread())) {
                    virtualThreads.incrementAndGet();
                }
                go.await();
                int k = n % keys;
                String key = "vt-" + run + "-" + k;
                if (n % 2 == 0) {
                    Lock lock = a.asLock(key, options);
                    lock.lock();
                    try {
                        increment(counters, k);
                    } finally {
                        lock.unlock();
                    }
                } else {
                    try (LockLease lease = b.acquire(key, options)) {
                        increment(counters, k);
                    }
                }
                acquisitions.incrementAndGet();
                return null;
            }));
        }
        go.countDown();
        long end = System.nanoTime() + deadline.toNanos();
        for (Future<?> task : tasks) {
            task.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        executor.shutdown();
        long sum = 0;
        for (long c : counters) {
            sum += c;
        }
        return new Round(acquisitions.get(), acquisitions.get() - sum, virtualThreads.get());
    }

    private record Round(long acquisitions, long lostUpdates, int virtualThreads) {
    }

    private static void increment(long[] counters, int k) {
        long v = counters[k];
        Thread.yield();
        counters[k] = v + 1;
    }

    private static String describe(RecordedEvent e) {
        StringBuilder sb = new StringBuilder().append(e.getDuration().toNanos() / 1_000).append(" us");
        if (e.hasField("pinnedReason")) {
            sb.append(" (").append(e.getString("pinnedReason")).append(')');
        }
        if (e.getStackTrace() != null) {
            e.getStackTrace().getFrames().stream().limit(12)
                    .forEach(f -> sb.append(" | ").append(f.getMethod().getType().getName()).append('.')
                            .append(f.getMethod().getName()).append(':').append(f.getLineNumber()));
        }
        return sb.toString();
    }

    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    }
}
