package io.github.distlock.cli;

/**
 * Ends a command with an exit status and a one-line message on standard error. Thrown by
 * commands, turned into the exit status by {@link Main}.
 */
public final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * Creates the failure.
     *
     * @param exitCode the exit status, one of {@link ExitCodes}
     * @param message the message, or null to print nothing
     */
    public CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** @return the exit status */
    public int exitCode() {
        return exitCode;
    }
}
