package io.github.distlock;

/**
 * The caller tried to release or renew a lock it does not hold: another thread's key-based
 * lock, a key this thread never locked, or a lease that was already released. Nothing was
 * changed in the store; in particular nobody else's lock was released.
 */
public class LockNotHeldException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted and why it was refused, naming the key
     */
    public LockNotHeldException(String message) {
        super(message);
    }
}
