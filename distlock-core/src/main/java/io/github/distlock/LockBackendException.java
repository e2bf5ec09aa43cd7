package io.github.distlock;

/**
 * The lock store failed: it could not be reached, did not answer within the deadline, refused
 * the credentials, or answered with an error. The message names the backend and, where one was
 * involved, the key; the driver's exception is kept as the cause.
 *
 * <p>When this is thrown from an acquire call, nothing is held: any lock the store may have
 * granted to the timed-out request is released on a best-effort basis and otherwise expires
 * with its TTL.
 */
public class LockBackendException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String key;

    /**
     * Creates the exception.
     *
     * @param backend the backend's name, for example {@code redis}
     * @param key the lock key involved, or {@code null} when the call was not about one key
     * @param message what failed
     * @param cause the driver's exception, or {@code null}
     */
    public LockBackendException(String backend, String key, String message, Throwable cause) {
        super(format(backend, key, message), cause);
        this.backend = backend;
        this.key = key;
    }

    /**
     * Returns the name of the backend that failed.
     *
     * @return the backend name, for example {@code redis} or {@code etcd}
     */
    public String backend() {
        return backend;
    }

    /**
     * Returns the lock key the failed call was about, if any.
     *
     * @return the key, or {@code null} for calls not about one key
     */
    public String key() {
        return key;
    }

    private static String format(String backend, String key, String message) {
        return key == null
                ? backend + ": " + message
                : backend + ": " + message + " (key '" + key + "')";
    }
}
