package io.github.distlock.bench;

import io.github.distlock.bench.servers.BenchServers;
import io.github.distlock.bench.systems.BenchSystem;
import io.github.distlock.bench.systems.DistlockSystem;
import io.github.distlock.bench.systems.LockMode;
import io.github.distlock.bench.systems.SystemConfig;
import io.github.distlock.bench.systems.SystemSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one system in one scenario and measures it.
 *
 * <p>Throughput scenarios: {@code threads} platform threads run lock + unlock cycles back to
 * back for the warm-up, then for the measured window. A cycle counts when it starts and ends
 * inside the window (the window's bounds are fixed before it opens, so no cycle is half in);
 * throughput is counted cycles / window. Each thread records cycle latency in its own
 * HdrHistogram; they are merged afterwards. Before the timed warm-up, one thread runs a few
 * cycles on keys outside the scenario's key space, so that loading the client (classes,
 * connections) never falls into the window. A fresh system instance is opened for every run and
 * the servers are reset before it (Redis {@code FLUSHALL}, etcd compaction).
 */
public final class Runner {

    private static final String[] RANDOM_KEYS = keys("rk:", BenchOptions.RANDOM_KEY_SPACE);
    private static final String[] SHARED_KEYS = keys("sh:", BenchOptions.SHARED_KEY_SPACE);
    private static final String HOT_KEY = "hot";
    /** Lock + unlock cycles a held-locks client runs before its heap baseline is taken. */
    private static final int HELD_WARMUP = 200;
    /** Lock + unlock cycles run on one thread before a throughput run's timed warm-up. */
    private static final int WARMUP_CYCLES = 20;

    private final BenchServers servers;
    private final BenchOptions options;
    private final Consumer<String> log;

    /**
     * Creates a runner.
     *
     * @param servers the servers
     * @param options durations and sizes
     * @param log where progress lines go
     */
    public Runner(BenchServers servers, BenchOptions options, Consumer<String> log) {
        this.servers = servers;
        this.options = options;
        this.log = log;
    }

    private static String[] keys(String prefix, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = prefix + i;
        }
        return keys;
    }

    /** The measured window, fixed before it opens. */
    private record Window(long start, long end) {
        boolean contains(long from, long to) {
            return from >= start && to <= end;
        }
    }

    /**
     * Runs a throughput scenario (random keys, hot key or shared readers).
     *
     * @param spec the system
     * @param scenario the scenario, not {@link Scenario#HELD_LOCKS}
     * @param threads the number of threads
     * @return the row
     * @throws Exception if the system cannot be opened
     */
    public Row runThroughput(SystemSpec spec, Scenario scenario, int threads) throws Exception {
        if (scenario == Scenario.HELD_LOCKS) {
            throw new IllegalArgumentException("held-locks is not a throughput scenario");
        }
        servers.resetBetweenRuns();
        try (BenchSystem system = spec.factory().open(servers, SystemConfig.THROUGHPUT)) {
            int warmUpCycles = warmUp(system, scenario);
            Row row = measure(spec, system, scenario, threads);
            return row.put("cyclesCompleted", warmUpCycles + (long) row.number("cyclesCompleted"));
        }
    }

    /**
     * Warms the JVM up for a backend before its first measured run: {@code threads} threads run
     * lock + unlock cycles of {@code spec} on random keys for {@code duration}, and nothing is
     * measured. Without it the first system of a backend pays for compiling that backend's client
     * stack (gRPC and Netty HTTP/2 for etcd): in one profile the JIT compiler took a third of the
     * CPU during the first etcd system's window, and that system's client CPU per cycle was
     * 2.5x what it was when it ran second.
     *
     * @param spec the system to cycle
     * @param threads the number of threads
     * @param duration how long
     * @throws Exception if the system cannot be opened
     */
    public void warmUpJvm(SystemSpec spec, int threads, Duration duration) throws Exception {
        servers.resetBetweenRuns();
        try (BenchSystem system = spec.factory().open(servers, SystemConfig.THROUGHPUT)) {
            warmUp(system, Scenario.RANDOM_KEYS);
            long end = System.nanoTime() + duration.toNanos();
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try {
                        while (System.nanoTime() < end) {
                            system.lock(RANDOM_KEYS[random.nextInt(RANDOM_KEYS.length)], LockMode.EXCLUSIVE).unlock();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        // The measured runs report errors; this one only warms up.
                    }
                }, "bench-jvm-warmup-" + t);
                workers[t].setDaemon(true);
                workers[t].start();
            }
            join(workers);
        }
    }

    /**
     * Runs a few lock + unlock cycles, on one thread and outside the key space of the scenario,
     * in every mode the scenario uses, before the timed warm-up starts: the first call into a
     * client loads its classes and opens its connections (for a gRPC client that takes longer
     * than a short measured window), and that one-off cost is not what the run measures.
     */
    private static int warmUp(BenchSystem system, Scenario scenario) throws Exception {
        List<LockMode> modes = scenario == Scenario.SHARED_READERS
                ? List.of(LockMode.READ, LockMode.WRITE)
                : List.of(LockMode.EXCLUSIVE);
        for (int i = 0; i < WARMUP_CYCLES; i++) {
            for (LockMode mode : modes) {
                system.lock("warmup:" + i, mode).unlock();
            }
        }
        return WARMUP_CYCLES * modes.size();
    }

    private Row measure(SystemSpec spec, BenchSystem system, Scenario scenario, int threads) throws Exception {
        boolean hot = scenario == Scenario.HOT_KEY;
        AtomicReference<Window> window = new AtomicReference<>();
        AtomicLong lastReleaseStart = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        AtomicLong readCycles = new AtomicLong();
        Histogram[] cycleHistograms = new Histogram[threads];
        Histogram[] handoffHistograms = new Histogram[threads];
        long[] cycleCounts = new long[threads];
        long[] completedCounts = new long[threads];
        CountDownLatch started = new CountDownLatch(threads);
        Thread[] workers = new Thread[threads];
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int t = 0; t < threads; t++) {
            int index = t;
            cycleHistograms[t] = Latency.newHistogram();
            handoffHistograms[t] = Latency.newHistogram();
            workers[t] = new Thread(() -> {
                Histogram cycles = cycleHistograms[index];
                Histogram handoffs = handoffHistograms[index];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long counted = 0;
                long reads = 0;
                started.countDown();
                while (!stop.get()) {
                    String key;
                    LockMode mode = LockMode.EXCLUSIVE;
                    switch (scenario) {
                        case RANDOM_KEYS -> key = RANDOM_KEYS[random.nextInt(RANDOM_KEYS.length)];
                        case HOT_KEY -> key = HOT_KEY;
                        default -> {
                            key = SHARED_KEYS[random.nextInt(SHARED_KEYS.length)];
                            mode = random.nextDouble() < BenchOptions.READ_SHARE ? LockMode.READ : LockMode.WRITE;
                        }
                    }
                    long t0 = System.nanoTime();
                    try {
                        BenchSystem.Held held = system.lock(key, mode);
                        if (hot) {
                            long acquired = System.nanoTime();
                            long releaseStart = lastReleaseStart.getAndSet(0);
                            Window w = window.get();
                            if (releaseStart != 0 && w != null && w.contains(releaseStart, acquired)) {
                                Latency.record(handoffs, acquired - releaseStart);
                            }
                            lastReleaseStart.set(System.nanoTime());
                        }
                        held.unlock();
                        long t2 = System.nanoTime();
                        completedCounts[index]++;
                        Window w = window.get();
                        if (w != null && w.contains(t0, t2)) {
                            Latency.record(cycles, t2 - t0);
                            counted++;
                            if (mode == LockMode.READ) {
                                reads++;
                            }
                        }
                    } catch (InterruptedException e) {
                        break;
                    } catch (Exception | AssertionError e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e);
                        if (!stop.get()) {
                            sleepQuietly(10);
                        }
                    }
                }
                cycleCounts[index] = counted;
                readCycles.addAndGet(reads);
            }, "bench-" + spec.id() + "-" + t);
            workers[t].setDaemon(true);
        }
        for (Thread w : workers) {
            w.start();
        }
        started.await();
        Thread.sleep(options.warmup().toMillis());
        boolean redis = spec.backend().equals("redis");
        Map<String, BenchServers.CommandStat> statsBefore = redis ? servers.redisCommandStats() : null;
        long requestsBefore = redis ? 0 : servers.requestCount(spec.backend());
        long serverCpuBefore = servers.serverCpuNanos(spec.backend());
        long clientCpuBefore = processCpuNanos();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        Window w = new Window(start, start + options.measure().toNanos());
        window.set(w);
        sleepUntil(w.end());
        Map<String, BenchServers.CommandStat> statsAfter = redis ? servers.redisCommandStats() : null;
        long clientCpuAfter = processCpuNanos();
        long serverCpuAfter = servers.serverCpuNanos(spec.backend());
        long requestsAfter = redis ? 0 : servers.requestCount(spec.backend());
        stop.set(true);
        int stuck = join(workers);

        Histogram cycles = Latency.newHistogram();
        Histogram handoffs = Latency.newHistogram();
        long counted = 0;
        for (int t = 0; t < threads; t++) {
            cycles.add(cycleHistograms[t]);
            handoffs.add(handoffHistograms[t]);
            counted += cycleCounts[t];
        }
        double seconds = (w.end() - w.start()) / 1e9;
        double perSec = counted / seconds;
        Row row = hot
                ? new Row(spec.id(), spec.backend(), role(spec), scenario, threads, perSec,
                        Latency.percentileUs(handoffs, 50), Latency.percentileUs(handoffs, 99))
                : new Row(spec.id(), spec.backend(), role(spec), scenario, threads, perSec,
                        Latency.percentileUs(cycles, 50), Latency.percentileUs(cycles, 99));
        row.put("cycles", counted).put("seconds", Row.round(seconds, 3));
        // Every cycle that completed, in or out of the window: whether the system works at all,
        // whatever the machine's load.
        row.put("cyclesCompleted", java.util.Arrays.stream(completedCounts).sum());
        if (hot) {
            row.put("latency", "hand-off: holder's release call to the next holder's acquire returning");
            row.put("handoffs", handoffs.getTotalCount());
            row.put("cycleP50Us", Row.round(Latency.percentileUs(cycles, 50), 1));
            row.put("cycleP99Us", Row.round(Latency.percentileUs(cycles, 99), 1));
        } else {
            row.put("latency", "cycle: lock + unlock");
        }
        row.put("p999Us", Row.round(Latency.percentileUs(hot ? handoffs : cycles, 99.9), 1));
        row.put("maxUs", Row.round((hot ? handoffs : cycles).getMaxValue() / 1000.0, 1));
        if (scenario == Scenario.SHARED_READERS && counted > 0) {
            row.put("readShare", Row.round(readCycles.get() / (double) counted, 3));
        }
        if (counted > 0 && clientCpuBefore >= 0 && clientCpuAfter >= 0) {
            row.put("clientCpuUsPerCycle", Row.round((clientCpuAfter - clientCpuBefore) / 1000.0 / counted, 1));
        }
        if (counted > 0 && serverCpuBefore >= 0 && serverCpuAfter >= 0) {
            row.put("serverCpuUsPerCycle", Row.round((serverCpuAfter - serverCpuBefore) / 1000.0 / counted, 1));
        }
        if (!redis && counted > 0) {
            row.put("serverRequestsPerCycle", Row.round((requestsAfter - requestsBefore) / (double) counted, 2));
        }
        if (redis && counted > 0) {
            addRedisCost(row, statsBefore, statsAfter, counted);
        }
        row.put("errors", errors.get());
        if (firstError.get() != null) {
            row.put("firstError", describe(firstError.get()));
        }
        if (stuck > 0) {
            row.put("stuckThreads", stuck);
        }
        return row;
    }

    /**
     * Adds Redis {@code INFO commandstats} deltas per cycle: calls per cycle and server
     * microseconds per call of every command. Commands run by scripts are counted too (and the
     * script's own time includes theirs), so the per-command times must not be summed; the
     * row's {@code serverCpuUsPerCycle} is the total.
     */
    private static void addRedisCost(Row row, Map<String, BenchServers.CommandStat> before,
            Map<String, BenchServers.CommandStat> after, long cycles) {
        Map<String, Object> perCommand = new LinkedHashMap<>();
        after.entrySet().stream()
                .filter(e -> !e.getKey().equals("info") && !e.getKey().equals("monitor"))
                .map(e -> Map.entry(e.getKey(), e.getValue().minus(before.get(e.getKey()))))
                .filter(e -> e.getValue().calls() > 0)
                .sorted((a, b) -> Long.compare(b.getValue().usec(), a.getValue().usec()))
                .forEach(e -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("callsPerCycle", Row.round(e.getValue().calls() / (double) cycles, 3));
                    c.put("usecPerCall", Row.round(e.getValue().usec() / (double) e.getValue().calls(), 2));
                    perCommand.put(e.getKey(), c);
                });
        row.put("serverCommands", perCommand);
    }

    /**
     * Runs the held-locks scenario: {@link BenchOptions#heldLocks()} auto-renewed locks with
     * {@link BenchOptions#heldTtl()} are acquired by {@link BenchOptions#heldWorkers()} threads,
     * held for a settling interval plus three renewal intervals while the server counts the
     * requests it receives, then released by the threads that took them.
     *
     * <p>Measured: renewal round trips per interval (server-side count during the three intervals,
     * when nothing but renewal runs), heap per held lock (heap used after a GC with every lock held
     * minus after a GC with the client open, warmed up by 200 lock + unlock cycles, and none held,
     * over the lock count), the client's
     * threads (live threads while holding minus before the client was opened, the harness's own
     * workers excluded), and locks that were no longer held at release.
     *
     * @param spec the system
     * @return the row: cyclesPerSec and latencies are those of the acquisitions
     * @throws Exception if the system cannot be opened
     */
    public Row runHeld(SystemSpec spec) throws Exception {
        servers.resetBetweenRuns();
        int n = options.heldLocks();
        int workers = Math.min(options.heldWorkers(), n);
        Duration interval = options.renewalInterval();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        CyclicBarrier acquired = new CyclicBarrier(workers + 1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<BenchSystem> systemRef = new AtomicReference<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Histogram[] histograms = new Histogram[workers];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            int index = t;
            histograms[t] = Latency.newHistogram();
            Thread thread = new Thread(() -> {
                List<BenchSystem.Held> mine = new ArrayList<>();
                try {
                    go.await();
                    BenchSystem system = systemRef.get();
                    for (int i = index; i < n; i += workers) {
                        long t0 = System.nanoTime();
                        try {
                            mine.add(system.lockRenewed("held:" + i));
                            Latency.record(histograms[index], System.nanoTime() - t0);
                        } catch (InterruptedException e) {
                            throw e;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e);
                        }
                    }
                    acquired.await();
                    release.await();
                    for (BenchSystem.Held held : mine) {
                        try {
                            if (!held.unlock()) {
                                lost.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e);
                        }
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-held-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        SystemConfig config = SystemConfig.THROUGHPUT.withRenewTtl(options.heldTtl());
        BenchSystem system = spec.factory().open(servers, config);
        systemRef.set(system);
        try {
            // Warm the client up (connections, pools, caches, JIT) before the heap baseline, so
            // that what it allocates once is not counted per lock.
            for (int i = 0; i < HELD_WARMUP; i++) {
                system.lockRenewed("held-warmup:" + i).unlock();
            }
            long heapOpen = heapAfterGc(memory);
            long acquireStart = System.nanoTime();
            go.countDown();
            acquired.await(10, TimeUnit.MINUTES);
            double acquireSeconds = (System.nanoTime() - acquireStart) / 1e9;
            // One settling interval (the first renewal round), then count three intervals.
            Thread.sleep(interval.toMillis());
            long roundTrips;
            Map<String, Long> byCommand;
            double intervals;
            try (BenchServers.RoundTrips counter = servers.countRoundTrips(spec.backend())) {
                long countStart = System.nanoTime();
                Thread.sleep(interval.multipliedBy(3).toMillis());
                roundTrips = counter.count();
                intervals = (System.nanoTime() - countStart) / (double) interval.toNanos();
                byCommand = counter.byCommand();
            }
            long heapHeld = heapAfterGc(memory);
            long threadsHeld = ManagementFactory.getThreadMXBean().getThreadCount();
            release.countDown();
            int stuck = join(threads.toArray(Thread[]::new));

            Histogram all = Latency.newHistogram();
            for (Histogram h : histograms) {
                all.add(h);
            }
            long held = all.getTotalCount();
            Row row = new Row(spec.id(), spec.backend(), role(spec), Scenario.HELD_LOCKS, workers,
                    held / acquireSeconds, Latency.percentileUs(all, 50), Latency.percentileUs(all, 99));
            row.put("latency", "acquire of one auto-renewed lock");
            row.put("heldLocks", held);
            row.put("renewalIntervalMs", interval.toMillis());
            row.put("roundTripsPerInterval", Row.round(roundTrips / intervals, 1));
            if (!byCommand.isEmpty()) {
                Map<String, Object> perInterval = new LinkedHashMap<>();
                byCommand.forEach((k, v) -> perInterval.put(k, Row.round(v / intervals, 1)));
                row.put("roundTripsPerIntervalByCommand", perInterval);
            }
            row.put("heapBytesPerLock", held == 0 ? Double.NaN : Row.round((heapHeld - heapOpen) / (double) held, 0));
            row.put("clientThreads", threadsHeld - threadsBefore);
            row.put("lostLocks", lost.get());
            row.put("errors", errors.get());
            if (firstError.get() != null) {
                row.put("firstError", describe(firstError.get()));
            }
            if (stuck > 0) {
                row.put("stuckThreads", stuck);
            }
            return row;
        } finally {
            release.countDown();
            go.countDown();
            system.close();
            for (Thread t : threads) {
                t.interrupt();
            }
        }
    }

    /** CPU time of this whole JVM (client, harness and, for Curator, the in-process ZooKeeper), or -1. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Joins the workers; interrupts those that do not stop in time. Returns how many were stuck. */
    private int join(Thread[] workers) throws InterruptedException {
        long deadline = System.nanoTime() + DistlockSystem.WAIT_LIMIT.plusSeconds(15).toNanos();
        int stuck = 0;
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.isAlive()) {
                stuck++;
                w.interrupt();
                w.join(5_000);
            }
        }
        if (stuck > 0) {
            log.accept("  warning: " + stuck + " worker thread(s) did not stop in time and were interrupted");
        }
        return stuck;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String role(SystemSpec spec) {
        return spec.role().name().toLowerCase(Locale.ROOT);
    }

    private static String describe(Throwable e) {
        String s = e.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
