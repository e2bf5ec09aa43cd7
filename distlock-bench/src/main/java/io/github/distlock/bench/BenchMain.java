package io.github.distlock.bench;

import io.github.distlock.bench.report.Machine;
import io.github.distlock.bench.report.Report;
import io.github.distlock.bench.servers.BenchServers;
import io.github.distlock.bench.systems.SystemCatalog;
import io.github.distlock.bench.systems.SystemSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The side-by-side benchmark (issue #7): starts its own Redis, etcd and ZooKeeper, runs every
 * selected system in every selected scenario, and writes {@code NAME.json}, {@code NAME.md} and
 * {@code NAME.png} to the output directory. Run it through {@code scripts/bench}; see
 * {@link BenchOptions} for the arguments.
 *
 * <p>Runs are ordered scenario by scenario, and within a scenario system by system, so that the
 * systems compared in one table row group were measured minutes apart, not a quarter of an hour.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmark and exits with 0, or 1 if a run produced no cycles, or 2 on bad arguments.
     *
     * @param args see {@link BenchOptions}
     * @throws Exception if the servers cannot be started or the results cannot be written
     */
    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.list()) {
            for (SystemSpec s : SystemCatalog.all()) {
                System.out.printf("%-22s %-9s %-9s %s%n", s.id(), s.backend(), s.role().name().toLowerCase(Locale.ROOT),
                        s.scenarios().stream().sorted().map(Scenario::id).toList());
            }
            System.out.println("scenarios: " + String.join(", ", Scenario.ids()));
            return;
        }
        Result result = run(options, System.err::println);
        System.exit(result.rows().stream().anyMatch(r -> r.extra().get("cycles") instanceof Long c && c == 0
                || r.scenario() == Scenario.HELD_LOCKS && r.number("heldLocks") == 0) ? 1 : 0);
    }

    /**
     * What a run produced.
     *
     * @param rows the rows, ratios filled in
     * @param files the files written
     */
    public record Result(List<Row> rows, List<Path> files) {
    }

    /**
     * Runs the benchmark in this JVM (the IT calls this) and writes the result files.
     *
     * @param options what to run
     * @param log where progress lines go
     * @return the rows and the files written
     * @throws Exception if the servers cannot be started or the files cannot be written
     */
    public static Result run(BenchOptions options, Consumer<String> log) throws Exception {
        List<SystemSpec> systems = SystemCatalog.select(options.systems());
        List<Job> jobs = new ArrayList<>();
        for (Scenario scenario : options.scenarios()) {
            List<Integer> threadCounts = switch (scenario) {
                case RANDOM_KEYS -> options.randomKeyThreads();
                case HOT_KEY -> List.of(options.hotKeyThreads());
                case SHARED_READERS -> List.of(options.sharedThreads());
                case HELD_LOCKS -> List.of(options.heldWorkers());
            };
            for (int threads : threadCounts) {
                for (SystemSpec spec : systems) {
                    if (spec.supports(scenario)) {
                        jobs.add(new Job(spec, scenario, threads));
                    }
                }
            }
        }
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        List<Row> rows = new ArrayList<>();
        Map<String, String> header = new LinkedHashMap<>();
        try (BenchServers servers = new BenchServers()) {
            Runner runner = new Runner(servers, options, log);
            log.accept(String.format(Locale.ROOT, "bench: %d runs (%s; warm-up %s, measured %s per run)",
                    jobs.size(), options.quick() ? "quick" : "full", human(options.warmup()), human(options.measure())));
            warmUpJvm(runner, jobs, options, log);
            int n = 0;
            for (Job job : jobs) {
                n++;
                Row row;
                try {
                    row = job.scenario() == Scenario.HELD_LOCKS
                            ? runner.runHeld(job.spec())
                            : runner.runThroughput(job.spec(), job.scenario(), job.threads());
                } catch (Exception | LinkageError e) {
                    row = new Row(job.spec().id(), job.spec().backend(),
                            job.spec().role().name().toLowerCase(Locale.ROOT), job.scenario(), job.threads(), 0,
                            Double.NaN, Double.NaN);
                    row.put("cycles", 0L).put("errors", 1L).put("firstError", e.toString());
                    if (job.scenario() == Scenario.HELD_LOCKS) {
                        row.put("heldLocks", 0L);
                    }
                }
                rows.add(row);
                log.accept(String.format(Locale.ROOT, "[%d/%d] %-15s %3dt %-22s %10.0f /s  p50 %8.0f us  p99 %9.0f us%s",
                        n, jobs.size(), job.scenario().id(), job.threads(), job.spec().id(), row.cyclesPerSec(),
                        row.p50Us(), row.p99Us(), summary(row)));
            }
            header.put("mode", (options.quick() ? "quick" : "full") + ": warm-up " + human(options.warmup())
                    + ", measured window " + human(options.measure()) + " per run; a fresh client per run");
            header.put("date", started.truncatedTo(ChronoUnit.SECONDS) + " (took "
                    + human(Duration.between(started, Instant.now()).truncatedTo(ChronoUnit.SECONDS)) + ")");
            Machine.describe().forEach(header::put);
            header.put("load average (1/5/15 min)", "before " + loadBefore + ", after " + Machine.loadAverage()
                    + " (client JVM and servers share the machine)");
            header.put("servers", servers.versions().toString().replaceAll("[{}]", ""));
            header.put("clients", clientVersions());
        }
        Map<String, String> described = new LinkedHashMap<>();
        for (SystemSpec s : systems) {
            described.put(s.id(), s.description());
        }
        Report report = new Report(rows, header, described);
        List<Path> files = report.write(options.out(), options.name());
        log.accept("bench: wrote " + files);
        return new Result(report.rows(), files);
    }

    private record Job(SystemSpec spec, Scenario scenario, int threads) {
    }

    /** Threads of the untimed JVM warm-up of each system. */
    private static final int JVM_WARMUP_THREADS = 8;
    /**
     * The untimed JVM warm-up of the first system of each backend, in warm-up periods. On the
     * 2-core machine the etcd client stack needed well over 8 s of cycling before its client CPU
     * per cycle settled (distlock-etcd-txn at 8 threads: 990 us after 4 + 4 s, 696 us after
     * 10 + 5 s, 276 us after 12 + 4 s). The first system compiles the shared stack (Netty, gRPC,
     * the Lettuce or jetcd client); every later system of the backend then gets
     * {@link #JVM_WARMUP_PERIODS_EACH} more for its own code, so the full run gives each backend
     * 10 s plus 5 s per further system before its first window.
     */
    private static final int JVM_WARMUP_PERIODS_FIRST = 2;
    /** The untimed JVM warm-up of every further system of a backend, in warm-up periods. */
    private static final int JVM_WARMUP_PERIODS_EACH = 1;

    /**
     * Before the first run, cycles every system in the job list on random keys, unmeasured: the
     * first of each backend for {@link #JVM_WARMUP_PERIODS_FIRST} warm-up periods, the others for
     * {@link #JVM_WARMUP_PERIODS_EACH}. Without it the systems measured first in a scenario (the
     * distlock ones) would pay for compiling their own code and the shared client stack inside
     * their measured windows, and the client CPU columns would not compare like with like (see
     * {@link Runner#warmUpJvm}).
     */
    private static void warmUpJvm(Runner runner, List<Job> jobs, BenchOptions options, Consumer<String> log) {
        Map<String, SystemSpec> systems = new LinkedHashMap<>();
        for (Job job : jobs) {
            systems.putIfAbsent(job.spec().id(), job.spec());
        }
        Set<String> backendsSeen = new HashSet<>();
        for (SystemSpec spec : systems.values()) {
            boolean first = backendsSeen.add(spec.backend());
            Duration duration = options.warmup()
                    .multipliedBy(first ? JVM_WARMUP_PERIODS_FIRST : JVM_WARMUP_PERIODS_EACH);
            if (duration.isZero()) {
                continue;
            }
            log.accept("bench: warming the JVM up with " + spec.id() + " (" + human(duration) + ", not measured)");
            try {
                runner.warmUpJvm(spec, JVM_WARMUP_THREADS, duration);
            } catch (Exception | LinkageError e) {
                log.accept("bench: warm-up with " + spec.id() + " failed (its runs will report it): " + e);
            }
        }
    }

    private static String summary(Row row) {
        StringBuilder b = new StringBuilder();
        if (row.scenario() == Scenario.HELD_LOCKS) {
            b.append(String.format(Locale.ROOT, "  rt/interval %.1f  heap/lock %.0f B  threads %.0f  lost %.0f",
                    row.number("roundTripsPerInterval"), row.number("heapBytesPerLock"), row.number("clientThreads"),
                    row.number("lostLocks")));
        }
        double errors = row.number("errors");
        if (errors > 0) {
            b.append("  errors ").append((long) errors).append(": ").append(row.extra().get("firstError"));
        }
        return b.toString();
    }

    private static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    private static String clientVersions() {
        return "Lettuce " + jarVersion(io.lettuce.core.RedisClient.class)
                + ", Redisson " + jarVersion(org.redisson.Redisson.class)
                + ", jetcd " + jarVersion(io.etcd.jetcd.Client.class)
                + ", Curator " + jarVersion(org.apache.curator.framework.CuratorFramework.class)
                + ", Netty " + jarVersion(io.netty.channel.Channel.class);
    }

    /** The version in the name of the jar a class comes from, e.g. {@code 3.52.0}. */
    static String jarVersion(Class<?> type) {
        try {
            String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
            String file = path.substring(path.lastIndexOf('/') + 1).replace(".jar", "");
            int dash = file.lastIndexOf('-');
            while (dash > 0 && !Character.isDigit(file.charAt(dash + 1))) {
                dash = file.lastIndexOf('-', dash - 1);
            }
            return dash > 0 ? file.substring(dash + 1) : file;
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
