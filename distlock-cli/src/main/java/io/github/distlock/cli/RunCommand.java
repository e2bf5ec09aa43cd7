package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distlock run [options] KEY -- COMMAND [ARGS...]}: holds a lock while a command runs.
 *
 * <p>Takes the best of {@code flock(1)} (flags, conflict exit code, the child's exit status),
 * {@code etcdctl lock} (TTL, the key and revision in the environment) and {@code consul lock}
 * (the command is stopped when the lock is lost). The lock is renewed by the client's watchdog
 * every third of {@code --ttl} while the command runs; if it is lost anyway (the store was
 * unreachable for longer than the TTL, or another owner holds the key), the command gets
 * SIGTERM, then SIGKILL after {@code --kill-grace}, and {@code run} exits with
 * {@link ExitCodes#LOCK_LOST}.
 */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        customSynopsis = "distlock run [OPTIONS] KEY -- COMMAND [ARGS...]",
        description = {"Hold a lock while COMMAND runs; the lock is renewed while it runs and released when it ends.",
                "%nThe command sees DISTLOCK_KEY, DISTLOCK_FENCING_TOKEN and DISTLOCK_BACKEND (the URI without credentials). "
                        + "If the lock is lost while it runs, it gets SIGTERM, then SIGKILL after --kill-grace, and run exits "
                        + "with 75. SIGTERM, SIGHUP and SIGINT sent to run are forwarded to the command. "
                        + "Put -- before the command when it has options of its own.%n"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "N:the command's exit status (128+signal if a signal ended it)",
                "1:lock held elsewhere with -n or -w (change with -E)",
                "2:bad arguments or backend URI",
                "69:backend unreachable or failing",
                "75:the lock was lost while the command ran; the command was stopped",
                "126:the command could not be executed",
                "127:the command was not found",
                "130/143:interrupted (SIGINT/SIGTERM) before the command started"})
public final class RunCommand implements Callable<Integer>, BackendCommand {

    /** Default TTL of the lock, renewed every third of it while the command runs. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
    /** Default time between SIGTERM and SIGKILL when the lock is lost. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--nonblock"}, description = "Fail at once (exit status -E) if the lock is held elsewhere.")
    boolean nonblock;

    @Option(names = {"-w", "--wait"}, paramLabel = "DURATION", converter = Durations.class,
            description = "Wait at most this long for the lock, then fail (exit status -E). 0 is -n. Default: wait forever.")
    Duration wait;

    @Option(names = {"-E", "--conflict-exit-code"}, paramLabel = "N",
            description = "Exit status when -n or -w fails to get the lock, 0-255 (default: ${DEFAULT-VALUE}).")
    int conflictExitCode = ExitCodes.CONFLICT;

    @Option(names = {"-s", "--shared"}, description = "Take a shared (read) lock: many shared holders, no exclusive one.")
    boolean shared;

    @Option(names = {"-x", "--exclusive"}, description = "Take an exclusive lock (the default).")
    boolean exclusive;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Durations.class,
            description = "Lock TTL: how long the lock outlives a crashed or paused run (default: 15s). Renewed every TTL/3.")
    Duration ttl = DEFAULT_TTL;

    @Option(names = "--kill-grace", paramLabel = "DURATION", converter = Durations.class,
            description = "After the lock is lost: time between SIGTERM and SIGKILL to the command (default: 5s).")
    Duration killGrace = DEFAULT_KILL_GRACE;

    @Mixin
    BackendOptions backend;

    @Parameters(index = "0", paramLabel = "KEY", description = "The lock key.")
    String key;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command;

    /**
     * Creates the command.
     *
     * @param ctx the environment and output streams
     */
    public RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public BackendOptions backend() {
        return backend;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String uri = backend.sharedUri(ctx);
        boolean once = nonblock || (wait != null && wait.isZero());
        LockOptions options = LockOptions.builder()
                .ttl(ttl)
                .autoRenew(true)
                .lockType(shared ? LockType.SHARED : LockType.EXCLUSIVE)
                .waitTimeout(once || wait == null ? LockOptions.WAIT_FOREVER : wait)
                .build();
        Supervisor supervisor = new Supervisor(Thread.currentThread());
        Signals.handle(supervisor::signal);
        try (DistributedLock locks = backend.open(uri)) {
            long start = System.nanoTime();
            LockLease lease;
            try {
                Optional<LockLease> got = locks.tryAcquire(key, options);
                if (got.isEmpty() && once) {
                    ctx.error("'" + key + "' is locked by another holder");
                    return conflictExitCode;
                }
                if (got.isEmpty() && backend.verbose()) {
                    ctx.error("waiting for '" + key + "': locked by another holder");
                }
                lease = got.isPresent() ? got.get() : locks.acquire(key, options);
            } catch (LockAcquisitionTimeoutException e) {
                ctx.error("timed out after " + Durations.format(wait) + " waiting for '" + key + "', locked by another holder");
                return conflictExitCode;
            } catch (InterruptedException e) {
                int signal = supervisor.pendingSignal();
                return signal > 0 ? ExitCodes.SIGNAL_BASE + signal : ExitCodes.SIGNAL_BASE + 2;
            }
            if (backend.verbose()) {
                ctx.error("acquired '" + key + "' (fencing token " + lease.fencingToken() + ") after "
                        + Durations.format(Duration.ofNanos(System.nanoTime() - start)));
            }
            return runHolding(uri, lease, supervisor);
        }
    }

    private void validate() {
        if (conflictExitCode < 0 || conflictExitCode > 255) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--conflict-exit-code': " + conflictExitCode + " is not in 0-255");
        }
        if (shared && exclusive) {
            throw new ParameterException(spec.commandLine(), "--shared and --exclusive exclude each other");
        }
        if (nonblock && wait != null) {
            throw new ParameterException(spec.commandLine(), "--nonblock and --wait exclude each other (-w 0 is -n)");
        }
        if (ttl.isZero()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--ttl': must be positive, but was 0");
        }
    }

    private int runHolding(String uri, LockLease lease, Supervisor supervisor) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("DISTLOCK_KEY", key);
        env.put("DISTLOCK_FENCING_TOKEN", Long.toString(lease.fencingToken()));
        env.put("DISTLOCK_BACKEND", Secrets.withoutCredentials(uri));
        if (supervisor.pendingSignal() > 0) {
            release(lease);
            return ExitCodes.SIGNAL_BASE + supervisor.pendingSignal();
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            release(lease);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            boolean notFound = why.contains("error=2,") || why.contains("No such file");
            ctx.error("cannot run '" + command.get(0) + "': " + why.replaceFirst("^.*error=\\d+, ", ""));
            return notFound ? ExitCodes.COMMAND_NOT_FOUND : ExitCodes.CANNOT_EXECUTE;
        }
        supervisor.started(child);
        lease.lost().thenAccept(supervisor::lost);
        int status = waitUninterruptibly(child);
        LockLoss loss = supervisor.finished();
        if (loss != null) {
            return ExitCodes.LOCK_LOST; // nothing to release: the store may already have handed it on
        }
        if (!release(lease) && lease.lost().toCompletableFuture().isDone()) {
            ctx.error("the lock on '" + key + "' was lost before the command ended; its work was not fully protected");
            return ExitCodes.LOCK_LOST;
        }
        return status;
    }

    private static int waitUninterruptibly(Process child) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean release(LockLease lease) {
        try {
            return lease.release();
        } catch (LockBackendException e) {
            ctx.error("could not release '" + key + "' (" + e.getMessage() + "); it expires within its TTL");
            return true;
        }
    }

    /**
     * Tracks the run's phase for the signal handler and the loss callback, which run on other
     * threads: before the command starts a signal interrupts the wait for the lock, while it
     * runs a signal is forwarded to it and a loss stops it.
     */
    private final class Supervisor {
        private final Thread main;
        private final ReentrantLock lock = new ReentrantLock();
        private Process child;
        private boolean finished;
        private int pendingSignal;
        private LockLoss loss;

        Supervisor(Thread main) {
            this.main = main;
        }

        int pendingSignal() {
            lock.lock();
            try {
                return pendingSignal;
            } finally {
                lock.unlock();
            }
        }

        void signal(String name, int number) {
            Process target;
            lock.lock();
            try {
                if (finished) {
                    return;
                }
                target = child;
                if (target == null) {
                    pendingSignal = number;
                }
            } finally {
                lock.unlock();
            }
            if (target == null) {
                main.interrupt();
            } else if (!"INT".equals(name) || System.console() == null) {
                // A Ctrl-C typed at a terminal reaches the command directly (same process group).
                Signals.send(target.toHandle(), name);
            }
        }

        void started(Process process) {
            int forward;
            lock.lock();
            try {
                child = process;
                forward = pendingSignal;
            } finally {
                lock.unlock();
            }
            if (forward > 0) {
                process.destroy();
            }
        }

        void lost(LockLoss lockLoss) {
            Process target;
            lock.lock();
            try {
                if (finished || loss != null) {
                    return;
                }
                loss = lockLoss;
                target = child;
            } finally {
                lock.unlock();
            }
            ctx.error("lost the lock on '" + key + "': " + lockLoss.reason().description()
                    + "; stopping the command (SIGTERM, then SIGKILL after " + Durations.format(killGrace) + ")");
            Thread stopper = new Thread(() -> stop(target), "distlock-stop-command");
            stopper.setDaemon(true);
            stopper.start();
        }

        /** Marks the command as ended; returns the loss if the lock was lost while it ran. */
        LockLoss finished() {
            lock.lock();
            try {
                finished = true;
                return loss;
            } finally {
                lock.unlock();
            }
        }

        private void stop(Process target) {
            List<ProcessHandle> descendants = target.descendants().toList();
            target.destroy();
            try {
                target.waitFor(killGrace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Nothing the command started may go on without the lock.
            target.descendants().forEach(ProcessHandle::destroyForcibly);
            descendants.forEach(ProcessHandle::destroyForcibly);
            target.destroyForcibly();
        }
    }
}
