package io.github.distlock.cli;

import io.github.distlock.DistributedLockException;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockConfigurationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code distlock} command: {@code demo}, {@code run}, {@code status}, {@code list}.
 * {@link #main} runs it and exits with its status; {@link #execute} runs it in-process (tests).
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its status (see {@link ExitCodes}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Logging.configure(false);
        CliContext ctx = CliContext.system();
        int status = execute(ctx, args);
        ctx.out().flush();
        ctx.err().flush();
        System.exit(status);
    }

    /**
     * Runs the command line in this JVM.
     *
     * @param ctx environment and output streams
     * @param args the arguments
     * @return the exit status
     */
    public static int execute(CliContext ctx, String... args) {
        return commandLine(ctx).execute(args);
    }

    /**
     * Builds the picocli command tree with the CLI's error handling: bad arguments print a
     * one-line error and the usage (exit 2), backend failures one line (exit 69), internal
     * errors one line (exit 70, stack trace with {@code --verbose}); credentials are masked in all.
     *
     * @param ctx environment and output streams
     * @return the command line
     */
    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new Distlock(ctx));
        cl.addSubcommand(new DemoCommand(ctx));
        cl.addSubcommand(new RunCommand(ctx));
        cl.addSubcommand(new StatusCommand(ctx));
        cl.addSubcommand(new ListCommand(ctx));
        cl.addSubcommand(new DemoWorkerCommand(ctx));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setParameterExceptionHandler((ex, args) -> usageError(ctx, ex.getCommandLine(), ex.getMessage(), ex));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ctx, cmd, ex));
        return cl;
    }

    private static int usageError(CliContext ctx, CommandLine cmd, String message, ParameterException ex) {
        ctx.error(message);
        if (ex != null) {
            StringWriter suggestions = new StringWriter();
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, new PrintWriter(suggestions));
            if (!suggestions.toString().isBlank()) {
                ctx.err().print(Secrets.mask(suggestions.toString()));
            }
        }
        ctx.err().print(cmd.getUsageMessage());
        ctx.err().flush();
        return ExitCodes.USAGE;
    }

    private static int failure(CliContext ctx, CommandLine cmd, Exception ex) {
        if (ex instanceof ParameterException pe) {
            return usageError(ctx, pe.getCommandLine(), pe.getMessage(), pe);
        }
        if (ex instanceof CliFailure f) {
            if (f.getMessage() != null) {
                ctx.error(f.getMessage());
            }
            return f.exitCode();
        }
        if (ex instanceof LockConfigurationException || ex instanceof InvalidLockArgumentException) {
            return usageError(ctx, cmd, ex.getMessage(), null);
        }
        if (ex instanceof LockBackendException) {
            ctx.error("backend unavailable: " + ex.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        ctx.error((ex instanceof DistributedLockException ? "" : "internal error: ") + ex);
        if (cmd.getCommand() instanceof BackendCommand bc && bc.backend() != null && bc.backend().verbose()) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            ctx.err().print(Secrets.mask(trace.toString()));
            ctx.err().flush();
        }
        return ExitCodes.SOFTWARE;
    }

    /** The top-level command; without a subcommand it prints the usage. */
    @Command(name = "distlock", mixinStandardHelpOptions = true, versionProvider = Version.class, usageHelpAutoWidth = true,
            description = {"Distributed locks on Redis and etcd from the shell.",
                    "Start with 'distlock demo'; see 'distlock help COMMAND' for each command."},
            footerHeading = "%nEnvironment:%n",
            footer = {"  DISTLOCK_BACKEND   backend URI when --backend is not given (default: mem:)",
                    "  DISTLOCK_PASSWORD  backend password when the URI carries none"})
    static final class Distlock implements Runnable {
        private final CliContext ctx;

        @Spec
        CommandSpec spec;

        Distlock(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: demo, run, status or list");
        }
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"distlock " + (v == null ? "(development build)" : v)};
        }
    }
}
