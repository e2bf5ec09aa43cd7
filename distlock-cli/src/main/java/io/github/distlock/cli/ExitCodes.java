package io.github.distlock.cli;

/**
 * The exit statuses of {@code distlock}, documented in the README's CLI reference. {@code run}
 * exits with its command's status whenever the command ran to its end; the codes below are
 * what {@code distlock} itself reports. They follow {@code flock(1)} for conflicts and
 * {@code sysexits.h} for failures.
 */
public final class ExitCodes {

    /** Success; for {@code run}, the command's own status is passed through instead. */
    public static final int OK = 0;
    /** Default for {@code run -n}/{@code -w} when the lock is held by someone else; change it with {@code -E}. */
    public static final int CONFLICT = 1;
    /** Bad arguments, a malformed backend URI or an unknown scheme; the usage is printed. */
    public static final int USAGE = 2;
    /** {@code demo} saw lost updates or stale fencing tokens: mutual exclusion was broken. */
    public static final int DEMO_UNSAFE = 3;
    /** The backend could not be reached or failed ({@code EX_UNAVAILABLE}). */
    public static final int UNAVAILABLE = 69;
    /** An internal error ({@code EX_SOFTWARE}); {@code --verbose} prints the stack trace. */
    public static final int SOFTWARE = 70;
    /** {@code run}: the lock was lost while the command ran, and the command was stopped ({@code EX_TEMPFAIL}). */
    public static final int LOCK_LOST = 75;
    /** {@code run}: the command exists but could not be executed (as in shells). */
    public static final int CANNOT_EXECUTE = 126;
    /** {@code run}: the command was not found (as in shells). */
    public static final int COMMAND_NOT_FOUND = 127;
    /** Added to a signal number: {@code run} interrupted by SIGINT (130) or SIGTERM (143) before its command started. */
    public static final int SIGNAL_BASE = 128;

    private ExitCodes() {
    }
}
