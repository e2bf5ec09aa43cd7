package io.github.distlock;

/**
 * Root of every exception distlock throws. All are unchecked; blocking calls additionally
 * declare {@link InterruptedException}.
 *
 * <p>Catch this type to handle any lock failure; catch a subtype to react to one cause:
 * {@link LockBackendException} (the store failed or did not answer in time),
 * {@link LockLostException} (a lock you held is gone), {@link LockAcquisitionTimeoutException}
 * (waited too long), {@link LockNotHeldException} (released or renewed something you do not hold),
 * {@link InvalidLockArgumentException} (bad input), {@link LockClosedException} (use after close),
 * {@link LockConfigurationException} (bad URI or configuration).
 */
public class DistributedLockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the key or parameter involved
     */
    public DistributedLockException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, naming the key or parameter involved
     * @param cause the underlying failure, kept for diagnosis
     */
    public DistributedLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
