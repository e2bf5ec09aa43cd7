package io.github.distlock.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may touch of the outside world: environment variables and the two output
 * streams. {@link Main} passes the real ones; unit tests pass their own.
 *
 * @param env the environment variables
 * @param out standard output (results, {@code --json})
 * @param err standard error (messages, progress)
 * @param stderrIsTerminal whether standard error is a terminal (live progress is drawn only there)
 */
public record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, boolean stderrIsTerminal) {

    /** Environment variable naming the backend URI when {@code --backend} is not given. */
    public static final String ENV_BACKEND = "DISTLOCK_BACKEND";
    /** Environment variable with the backend password, used when the URI carries none. */
    public static final String ENV_PASSWORD = "DISTLOCK_PASSWORD";

    /**
     * Validates the fields.
     *
     * @param env the environment variables
     * @param out standard output
     * @param err standard error
     * @param stderrIsTerminal whether standard error is a terminal
     */
    public CliContext {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /**
     * Returns the context of this process: {@link System#getenv()}, {@code System.out} and
     * {@code System.err} (UTF-8, autoflushed).
     *
     * @return the process context
     */
    public static CliContext system() {
        return new CliContext(System.getenv(),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                detectStderrTerminal());
    }

    /**
     * Prints one line on standard error, prefixed with {@code distlock: } and with every
     * credential masked.
     *
     * @param message the message
     */
    public void error(String message) {
        err.println("distlock: " + Secrets.mask(message));
        err.flush();
    }

    /**
     * Returns an environment variable that is set and not blank.
     *
     * @param name the variable
     * @return its value, or null
     */
    public String getenv(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static boolean detectStderrTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception | LinkageError e) {
            return System.console() != null;
        }
    }
}
