package io.github.distlock;

/**
 * The client, service or manager was used after {@code close()}. Create a new one.
 */
public class LockClosedException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed and what was attempted
     */
    public LockClosedException(String message) {
        super(message);
    }
}
