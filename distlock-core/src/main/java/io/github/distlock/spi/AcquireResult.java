package io.github.distlock.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of one acquire attempt: either the lock was granted, or it is busy.
 */
public sealed interface AcquireResult permits AcquireResult.Acquired, AcquireResult.Busy {

    /**
     * The lock was granted to the request's owner.
     *
     * @param fencingToken strictly larger than every earlier grant of the key
     * @param ttl the TTL the store actually granted (may be larger than requested)
     */
    record Acquired(long fencingToken, Duration ttl) implements AcquireResult {

        /**
         * Validates the fields.
         *
         * @param fencingToken the grant's fencing token, positive
         * @param ttl the granted TTL
         */
        public Acquired {
            if (fencingToken <= 0) {
                throw new IllegalArgumentException("fencingToken must be positive, but was " + fencingToken);
            }
            Objects.requireNonNull(ttl, "ttl");
        }
    }

    /**
     * The lock is held by others.
     *
     * @param recheckAfter when to try again even without a notification: the holder's remaining
     *        TTL, because expiry publishes nothing; positive
     * @param changed completes when the lock may have become free (a release, or a queue
     *        predecessor gone); {@code null} when the request did not ask to
     *        {@link AcquireRequest#prepareWait() prepare a wait} (unless it said it
     *        {@link AcquireRequest#willWait() will wait} and the backend prepared one anyway). The core cancels it when it
     *        stops waiting, and the backend then drops the subscription behind it.
     * @param enqueued whether the attempt left state behind for this owner (a queue entry or a
     *        writer-waiting marker): the core then calls {@link LockBackend#release} with the same
     *        claim when it gives up
     */
    record Busy(Duration recheckAfter, CompletableFuture<Void> changed, boolean enqueued) implements AcquireResult {

        /**
         * Validates the fields.
         *
         * @param recheckAfter positive duration
         * @param changed the change notification, or {@code null}
         * @param enqueued whether state was left behind
         */
        public Busy {
            Objects.requireNonNull(recheckAfter, "recheckAfter");
            if (recheckAfter.isNegative() || recheckAfter.isZero()) {
                recheckAfter = Duration.ofMillis(1);
            }
        }
    }
}
