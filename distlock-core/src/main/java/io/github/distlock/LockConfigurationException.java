package io.github.distlock;

/**
 * A backend could not be configured: an unknown URI scheme (its module is missing from the
 * classpath), a malformed URI or an option the backend does not know. Messages never contain
 * passwords: credentials in URIs are masked.
 */
public class LockConfigurationException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the configuration
     */
    public LockConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong with the configuration
     * @param cause the underlying failure
     */
    public LockConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
