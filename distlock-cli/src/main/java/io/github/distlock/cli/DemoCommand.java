package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.cli.demo.DemoReport;
import io.github.distlock.cli.demo.DemoSettings;
import io.github.distlock.cli.demo.DemoWorkers;
import io.github.distlock.cli.demo.ProgressBar;
import io.github.distlock.cli.demo.SharedResource;
import io.github.distlock.cli.demo.WorkerProcesses;
import io.github.distlock.cli.demo.WorkerStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code distlock demo}: workers contend for a few keys and prove that the lock holds. Inside
 * each critical section a worker checks its fencing token against a fenced register and
 * increments a counter with a plain read-modify-write, so a broken lock shows up as lost
 * updates or stale tokens. See {@link DemoWorkers} and {@link SharedResource}.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"See the locks at work: workers contend for a few keys, and the demo checks that none was ever broken.",
                "%nIn each critical section a worker checks its fencing token against a fenced register and increments a "
                        + "shared counter with a plain read-modify-write: a broken lock would show up as lost updates or stale "
                        + "tokens. Runs on the embedded mem: backend unless --backend or DISTLOCK_BACKEND names another.%n"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no lost updates and no stale fencing tokens", "2:bad arguments or backend URI",
                "3:lost updates or stale tokens: mutual exclusion was broken", "69:backend unreachable or failing",
                "70:a worker process failed"})
public final class DemoCommand implements Callable<Integer>, BackendCommand {

    /** Default number of workers. */
    public static final int DEFAULT_WORKERS = 8;

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers in all, 1-1024 (default: 8, or one per process if --processes is larger).")
    Integer workers;

    @Option(names = "--processes", paramLabel = "N",
            description = "Spread the workers over N separate JVMs, 1-64 (needs a real backend). Default: threads in this JVM.")
    int processes;

    @Option(names = "--keys", paramLabel = "N", description = "Lock keys the workers contend for, 1-1000 (default: ${DEFAULT-VALUE}).")
    int keys = 3;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class,
            description = "How long the workers run (default: 5s).")
    Duration duration = Duration.ofSeconds(5);

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Durations.class,
            description = "TTL of each lock, renewed while held (default: 10s).")
    Duration ttl = Duration.ofSeconds(10);

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Option(names = "--progress", negatable = true,
            description = "Draw a live progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Mixin
    BackendOptions backend;

    @Option(names = "--unsafe-break-exclusion", hidden = true,
            description = "Test of the demo itself: release each lock before the critical section.")
    boolean breakExclusion;

    /**
     * Creates the command.
     *
     * @param ctx the environment and output streams
     */
    public DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public BackendOptions backend() {
        return backend;
    }

    @Override
    public Integer call() throws Exception {
        int total = workers != null ? workers : Math.max(DEFAULT_WORKERS, processes);
        check(total >= 1 && total <= 1024, "--workers", total + " is not in 1-1024");
        check(processes >= 0 && processes <= 64, "--processes", processes + " is not in 1-64");
        check(keys >= 1 && keys <= 1000, "--keys", keys + " is not in 1-1000");
        check(!duration.isZero() && duration.compareTo(Duration.ofHours(24)) <= 0, "--duration",
                Durations.format(duration) + " is not between 1ms and 24h");
        check(!ttl.isZero(), "--ttl", "must be positive");
        if (processes > total) {
            throw new ParameterException(spec.commandLine(), "--processes " + processes + " needs at least as many --workers, but --workers is " + total);
        }
        String uri = backend.uri(ctx);
        if (processes > 0 && BackendOptions.isMem(uri)) {
            throw new ParameterException(spec.commandLine(), "--processes needs a real backend: mem: is local to one process; "
                    + "name one with --backend redis://HOST:6379 (or etcd://HOST:2379) or DISTLOCK_BACKEND");
        }
        DemoSettings settings = new DemoSettings(keys, total, duration, ttl, breakExclusion);
        boolean draw = progress != null ? progress : ctx.stderrIsTerminal();
        ProgressBar bar = new ProgressBar(ctx.err(), duration.toNanos(), draw);
        DemoReport report;
        try (DistributedLock locks = backend.open(uri)) {
            // Fail fast and clearly when the backend is not there.
            locks.getLockInfo(DemoSettings.key(0));
            if (processes > 0) {
                report = inProcesses(uri, settings, bar);
            } else {
                report = inThreads(locks, uri, settings, bar);
            }
        } finally {
            bar.clear();
        }
        if (json) {
            report.printJson(ctx.out());
        } else {
            report.printTable(ctx.out());
        }
        if (!report.ok()) {
            ctx.error("mutual exclusion was broken: " + report.lostUpdates() + " lost updates, "
                    + report.stats().staleTokens() + " stale fencing tokens");
            return ExitCodes.DEMO_UNSAFE;
        }
        return ExitCodes.OK;
    }

    private void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
        }
    }

    private DemoReport inThreads(DistributedLock locks, String uri, DemoSettings settings, ProgressBar bar)
            throws InterruptedException {
        SharedResource shared = SharedResource.inMemory(settings.keys());
        DemoWorkers run = new DemoWorkers(locks, shared, settings);
        run.start();
        while (!run.await(TimeUnit.MILLISECONDS.toNanos(100))) {
            bar.update(System.nanoTime() - run.startNanos(), shared.total());
        }
        bar.update(System.nanoTime() - run.startNanos(), shared.total());
        WorkerStats stats = run.result();
        return new DemoReport(Secrets.redact(uri), "threads", 0, settings.threads(), settings.keys(), stats, shared.total());
    }

    private DemoReport inProcesses(String uri, DemoSettings settings, ProgressBar bar)
            throws InterruptedException, IOException {
        List<String> extra = new ArrayList<>(List.of("--backend-timeout", backend.backendTimeout().toString()));
        if (backend.verbose()) {
            extra.add("--verbose");
        }
        WorkerProcesses.Result result = WorkerProcesses.run(uri, settings, processes, extra, bar);
        return new DemoReport(Secrets.redact(uri), "processes", processes, settings.threads(), settings.keys(),
                result.stats(), result.counted());
    }
}
