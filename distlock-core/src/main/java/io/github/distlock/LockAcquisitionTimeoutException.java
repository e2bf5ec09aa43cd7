package io.github.distlock;

import java.time.Duration;

/**
 * A blocking acquire waited its whole {@link LockOptions#waitTimeout() waitTimeout} without
 * getting the lock. Nothing is left behind: any queue entry or wake-up subscription the wait
 * created was removed.
 */
public class LockAcquisitionTimeoutException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final Duration waited;

    /**
     * Creates the exception.
     *
     * @param key the key that could not be locked
     * @param waited the wait timeout that passed
     */
    public LockAcquisitionTimeoutException(String key, Duration waited) {
        super("could not acquire lock '" + key + "' within waitTimeout " + waited);
        this.key = key;
        this.waited = waited;
    }

    /**
     * Returns the key that could not be locked.
     *
     * @return the lock key
     */
    public String key() {
        return key;
    }

    /**
     * Returns how long the caller waited.
     *
     * @return the wait timeout that passed
     */
    public Duration waited() {
        return waited;
    }
}
