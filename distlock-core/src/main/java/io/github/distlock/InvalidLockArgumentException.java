package io.github.distlock;

/**
 * An argument was invalid: a null or blank key, a key over {@link DistributedLock#MAX_KEY_LENGTH},
 * a zero or negative TTL, a TTL finer than the backend can store, a negative retry count, and so
 * on. The message names the parameter and the rejected value. Nothing was sent to the store.
 */
public class InvalidLockArgumentException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * Creates the exception.
     *
     * @param parameter the name of the bad parameter, for example {@code ttl}
     * @param message the full message, naming the parameter and the value
     */
    public InvalidLockArgumentException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /**
     * Returns the name of the rejected parameter.
     *
     * @return the parameter name, for example {@code key} or {@code ttl}
     */
    public String parameter() {
        return parameter;
    }
}
