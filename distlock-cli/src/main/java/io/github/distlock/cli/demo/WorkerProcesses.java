package io.github.distlock.cli.demo;

import io.github.distlock.cli.CliContext;
import io.github.distlock.cli.CliFailure;
import io.github.distlock.cli.ExitCodes;
import io.github.distlock.cli.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the demo's workers as separate JVMs: the same jar (or class path) started again with the
 * hidden {@code demo-worker} command. They share the {@link SharedResource} through a
 * memory-mapped file and talk to the parent over their standard streams, one line each:
 * a worker prints {@code ready} once connected, waits for {@code go} on its stdin so that all
 * start together, and prints {@code stats {json}} at the end, or {@code error CODE MESSAGE}.
 */
public final class WorkerProcesses {

    /** The hidden command that runs one worker process. */
    public static final String COMMAND = "demo-worker";
    /** Protocol line: the worker is connected and waits for {@link #GO}. */
    public static final String READY = "ready";
    /** Protocol line sent to workers: start now. */
    public static final String GO = "go";
    /** Prefix of the protocol line with a worker's stats. */
    public static final String STATS = "stats ";
    /** Prefix of the protocol line with a worker's failure. */
    public static final String ERROR = "error ";

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration OVERRUN = Duration.ofSeconds(60);

    private WorkerProcesses() {
    }

    /**
     * What the worker processes did: their merged stats, and the sum of the shared counters.
     *
     * @param stats the merged stats
     * @param counted the counters' sum after the run
     */
    public record Result(WorkerStats stats, long counted) {
    }

    /**
     * Creates the shared memory file in a temp dir, starts the workers, waits until all are
     * ready, starts them together, draws progress, and collects their stats. The workers and the
     * temp dir are removed at the end, also when the demo is interrupted (a shutdown hook).
     *
     * @param uri the backend URI, with credentials (passed in the environment, never on a command line)
     * @param settings keys, duration, TTL; {@code threads} is the total number of workers
     * @param processes how many JVMs to spread the workers over
     * @param extraArgs more worker options (timeouts, verbosity)
     * @param bar the progress bar
     * @return the merged stats and the counters' sum
     * @throws IOException if the shared memory file cannot be created
     * @throws InterruptedException if interrupted
     * @throws CliFailure if a worker cannot start, fails, or overruns
     */
    public static Result run(String uri, DemoSettings settings, int processes, List<String> extraArgs, ProgressBar bar)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("distlock-demo-");
        List<Worker> workers = new CopyOnWriteArrayList<>();
        Thread cleanup = new Thread(() -> cleanUp(workers, dir), "distlock-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path file = dir.resolve("shared.bin");
            SharedResource shared = SharedResource.mapped(file, settings.keys());
            for (int i = 0; i < processes; i++) {
                int threads = settings.threads() / processes + (i < settings.threads() % processes ? 1 : 0);
                workers.add(Worker.start(uri, settings, threads, file, extraArgs, i));
            }
            long startupDeadline = System.nanoTime() + STARTUP.toNanos();
            for (Worker w : workers) {
                if (!w.ready.await(Math.max(0, startupDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new CliFailure(ExitCodes.SOFTWARE, "worker process " + w.index + " did not start within "
                            + STARTUP.toSeconds() + "s" + w.stderrTail());
                }
                w.failIfFailed();
            }
            long start = System.nanoTime();
            for (Worker w : workers) {
                w.go();
            }
            long deadline = start + settings.duration().toNanos() + OVERRUN.toNanos();
            for (Worker w : workers) {
                while (!w.process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    bar.update(System.nanoTime() - start, shared.total());
                    if (System.nanoTime() > deadline) {
                        throw new CliFailure(ExitCodes.SOFTWARE, "worker process " + w.index + " did not finish in time");
                    }
                }
            }
            bar.update(System.nanoTime() - start, shared.total());
            WorkerStats merged = new WorkerStats();
            for (Worker w : workers) {
                w.reader.join(TimeUnit.SECONDS.toMillis(10));
                w.failIfFailed();
                if (w.stats == null) {
                    throw new CliFailure(ExitCodes.SOFTWARE, "worker process " + w.index + " exited with status "
                            + w.process.exitValue() + " without reporting" + w.stderrTail());
                }
                merged.add(w.stats);
            }
            return new Result(merged, shared.total());
        } finally {
            cleanUp(workers, dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
    }

    private static void cleanUp(List<Worker> workers, Path dir) {
        for (Worker w : workers) {
            w.process.descendants().forEach(ProcessHandle::destroyForcibly);
            w.process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: it is a temp dir
        }
    }

    /** One worker process and the thread reading its protocol lines. */
    private static final class Worker {
        final int index;
        final Process process;
        final Path stderr;
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader;
        volatile WorkerStats stats;
        volatile String error;
        volatile int errorCode;

        private Worker(int index, Process process, Path stderr) {
            this.index = index;
            this.process = process;
            this.stderr = stderr;
            this.reader = new Thread(this::read, "distlock-demo-worker-" + index + "-reader");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        static Worker start(String uri, DemoSettings settings, int threads, Path file,
                List<String> extraArgs, int index) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // Short-lived workers, many per core: a quick JIT and a single-threaded GC warm up faster.
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(io.github.distlock.cli.Main.class.getName());
            cmd.add(COMMAND);
            cmd.addAll(List.of("--shared-file", file.toString(),
                    "--keys", Integer.toString(settings.keys()),
                    "--threads", Integer.toString(threads),
                    "--duration", settings.duration().toString(),
                    "--ttl", settings.ttl().toString()));
            if (settings.breakExclusion()) {
                cmd.add("--unsafe-break-exclusion");
            }
            cmd.addAll(extraArgs);
            Path stderr = file.resolveSibling("worker-" + index + ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
            // The URI may carry a password: pass it in the environment, never on a command line.
            pb.environment().put(CliContext.ENV_BACKEND, uri);
            pb.environment().remove(CliContext.ENV_PASSWORD);
            try {
                return new Worker(index, pb.start(), stderr);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.SOFTWARE, "cannot start worker process: " + e.getMessage());
            }
        }

        void go() {
            try {
                OutputStream in = process.getOutputStream();
                in.write((GO + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                error = "worker process " + index + " went away: " + e.getMessage() + stderrTail();
                errorCode = ExitCodes.SOFTWARE;
            }
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals(READY)) {
                        ready.countDown();
                    } else if (line.startsWith(STATS)) {
                        stats = WorkerStats.fromJson(Json.parseObject(line.substring(STATS.length())));
                    } else if (line.startsWith(ERROR)) {
                        String rest = line.substring(ERROR.length());
                        int space = rest.indexOf(' ');
                        errorCode = Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
                        error = space < 0 ? "worker failed" : rest.substring(space + 1);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (error == null) {
                    error = "cannot read worker process " + index + ": " + e.getMessage();
                    errorCode = ExitCodes.SOFTWARE;
                }
            } finally {
                ready.countDown();
            }
        }

        void failIfFailed() {
            if (error != null) {
                throw new CliFailure(errorCode, error);
            }
            if (ready.getCount() == 0 && !process.isAlive() && stats == null && process.exitValue() != 0) {
                throw new CliFailure(ExitCodes.SOFTWARE, "worker process " + index + " exited with status "
                        + process.exitValue() + stderrTail());
            }
        }

        String stderrTail() {
            try {
                List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                if (lines.isEmpty()) {
                    return "";
                }
                return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            } catch (IOException e) {
                return "";
            }
        }
    }
}
