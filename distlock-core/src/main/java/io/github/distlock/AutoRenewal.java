package io.github.distlock;

import java.util.concurrent.CompletionStage;

/**
 * A running periodic renewal started by {@link LockService#autoRenew(String, java.time.Duration)}.
 * Stop it before releasing the lock, or let it stop by itself when the lease is released or lost.
 */
public interface AutoRenewal extends AutoCloseable {

    /** @return whether renewals are still being scheduled */
    boolean isActive();

    /**
     * Completes when the renewed lease is lost (renewal refused, or failing until the TTL ran
     * out); renewal stops then.
     *
     * @return a stage completing with the loss details
     */
    CompletionStage<LockLoss> lost();

    /** Stops renewing; idempotent. The lock stays held until released or expired. */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
