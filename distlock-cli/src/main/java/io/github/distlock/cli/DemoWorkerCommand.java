package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.cli.demo.DemoSettings;
import io.github.distlock.cli.demo.DemoWorkers;
import io.github.distlock.cli.demo.SharedResource;
import io.github.distlock.cli.demo.WorkerProcesses;
import io.github.distlock.cli.demo.WorkerStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hidden command behind {@code demo --processes}: one worker process. Speaks the line
 * protocol of {@link WorkerProcesses} on its standard streams; the backend URI comes from
 * {@code DISTLOCK_BACKEND}.
 */
@Command(name = WorkerProcesses.COMMAND, hidden = true, description = "One worker process of 'demo --processes' (internal).")
public final class DemoWorkerCommand implements Callable<Integer>, BackendCommand {

    private final CliContext ctx;

    @Mixin
    BackendOptions backend;

    @Option(names = "--shared-file", required = true)
    Path sharedFile;

    @Option(names = "--keys", required = true)
    int keys;

    @Option(names = "--threads", required = true)
    int threads;

    @Option(names = "--duration", required = true, converter = Durations.class)
    Duration duration;

    @Option(names = "--ttl", required = true, converter = Durations.class)
    Duration ttl;

    @Option(names = "--unsafe-break-exclusion")
    boolean breakExclusion;

    /**
     * Creates the command.
     *
     * @param ctx the environment and output streams
     */
    public DemoWorkerCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public BackendOptions backend() {
        return backend;
    }

    @Override
    public Integer call() throws Exception {
        String uri = backend.uri(ctx);
        DistributedLock locks;
        try {
            locks = backend.open(uri);
            locks.getLockInfo(DemoSettings.key(0));
        } catch (LockBackendException e) {
            return fail(ExitCodes.UNAVAILABLE, e.getMessage());
        } catch (LockConfigurationException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        }
        try (locks) {
            SharedResource shared = SharedResource.mapped(sharedFile, keys);
            ctx.out().println(WorkerProcesses.READY);
            ctx.out().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!WorkerProcesses.GO.equals(in.readLine())) {
                return ExitCodes.SOFTWARE; // the demo went away
            }
            DemoWorkers run = new DemoWorkers(locks, shared, new DemoSettings(keys, threads, duration, ttl, breakExclusion));
            run.start();
            run.await(Long.MAX_VALUE);
            WorkerStats stats;
            try {
                stats = run.result();
            } catch (LockBackendException e) {
                return fail(ExitCodes.UNAVAILABLE, e.getMessage());
            }
            ctx.out().println(WorkerProcesses.STATS + stats.toJson());
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    private int fail(int code, String message) {
        ctx.out().println(WorkerProcesses.ERROR + code + " " + Secrets.mask(String.valueOf(message)).replace('\n', ' '));
        ctx.out().flush();
        return code;
    }
}
