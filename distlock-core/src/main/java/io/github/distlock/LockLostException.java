package io.github.distlock;

/**
 * A lock that was held is no longer held: it expired, its renewal failed for longer than its
 * TTL, or the store reports another owner. Work done under it after {@link LockLoss#detectedAt()}
 * was not protected; a resource guarded by fencing tokens rejects it.
 */
public class LockLostException extends DistributedLockException {

    private static final long serialVersionUID = 1L;

    private final transient LockLoss loss;

    /**
     * Creates the exception from a loss record.
     *
     * @param loss what was lost, when and why
     */
    public LockLostException(LockLoss loss) {
        super("lock '" + loss.key() + "' was lost: " + loss.reason().description(), loss.cause());
        this.loss = loss;
    }

    /**
     * Returns the details of the loss.
     *
     * @return the key, reason, detection time and cause
     */
    public LockLoss loss() {
        return loss;
    }
}
