package io.github.distlock.cli;

/**
 * A command that talks to a backend, so that {@link Main} can read its {@code --verbose} when it
 * reports a failure.
 */
public interface BackendCommand {

    /** @return the command's backend options */
    BackendOptions backend();
}
