package io.github.distlock;

import io.github.distlock.internal.Arguments;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How one lock is taken: its TTL, whether a watchdog renews it, how {@code tryLock} retries and
 * how long {@code lock}/{@code acquire} wait. Immutable; build with {@link #builder()}, start
 * from the defaults with {@link #defaults()}, derive with {@link #toBuilder()}.
 *
 * <pre>{@code
 * LockOptions opts = LockOptions.builder()
 *         .ttl(Duration.ofSeconds(10))
 *         .waitTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <p>Every builder method rejects bad values at once with an {@link InvalidLockArgumentException}
 * that names the parameter and the value.
 */
public final class LockOptions {

    /** Default TTL: 30 seconds. With {@link #autoRenew()} it is the watchdog's lease length. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** Default: the watchdog renews the lock while it is held. */
    public static final boolean DEFAULT_AUTO_RENEW = true;
    /** Default retry count of {@code tryLock}: 0, a single attempt. */
    public static final int DEFAULT_RETRY_COUNT = 0;
    /** Default delay between {@code tryLock} attempts: 100 ms. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(100);
    /** Wait timeout meaning "wait until acquired or interrupted", the default for {@code lock}/{@code acquire}. */
    public static final Duration WAIT_FOREVER = ChronoUnit.FOREVER.getDuration();
    /** Default wait timeout of {@code lock}/{@code acquire}: {@link #WAIT_FOREVER}, like {@code ReentrantLock.lock()}. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = WAIT_FOREVER;
    /** Default lock type: {@link LockType#EXCLUSIVE}. */
    public static final LockType DEFAULT_LOCK_TYPE = LockType.EXCLUSIVE;
    /** Largest accepted retry count. */
    public static final int MAX_RETRY_COUNT = 1_000_000;
    /**
     * Longest accepted TTL, retry delay and operation timeout: 365 days. A longer value is almost
     * always a unit mistake (use {@link #autoRenew()} for locks held indefinitely), and the engine
     * keeps time in nanoseconds, which cannot count beyond 292 years.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private static final LockOptions DEFAULTS = new Builder().build();

    private final Duration ttl;
    private final boolean autoRenew;
    private final int retryCount;
    private final Duration retryDelay;
    private final Duration waitTimeout;
    private final LockType lockType;

    private LockOptions(Builder b) {
        this.ttl = b.ttl;
        this.autoRenew = b.autoRenew;
        this.retryCount = b.retryCount;
        this.retryDelay = b.retryDelay;
        this.waitTimeout = b.waitTimeout;
        this.lockType = b.lockType;
    }

    /**
     * Returns the default options: TTL 30 s with watchdog renewal, exclusive, no retries for
     * {@code tryLock}, waiting forever for {@code lock}.
     *
     * @return the shared default instance
     */
    public static LockOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the default values.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder with this instance's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns the time the store keeps the lock without renewal. Without auto-renew the lock
     * expires this long after it was granted (or last renewed); with auto-renew a watchdog
     * renews it every third of this, so it only expires when the holder stops (crash, pause,
     * partition).
     *
     * @return the TTL, positive
     */
    public Duration ttl() {
        return ttl;
    }

    /** @return whether the client's watchdog renews the lock while it is held */
    public boolean autoRenew() {
        return autoRenew;
    }

    /** @return how many times {@code tryLock}/{@code tryAcquire} retry after the first attempt */
    public int retryCount() {
        return retryCount;
    }

    /** @return the pause between {@code tryLock}/{@code tryAcquire} attempts */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** @return how long {@code lock}/{@code acquire} wait before giving up; {@link #WAIT_FOREVER} for no limit */
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /** @return exclusive (write) or shared (read) */
    public LockType lockType() {
        return lockType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockOptions other
                && ttl.equals(other.ttl)
                && autoRenew == other.autoRenew
                && retryCount == other.retryCount
                && retryDelay.equals(other.retryDelay)
                && waitTimeout.equals(other.waitTimeout)
                && lockType == other.lockType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, autoRenew, retryCount, retryDelay, waitTimeout, lockType);
    }

    @Override
    public String toString() {
        return "LockOptions{ttl=" + ttl + ", autoRenew=" + autoRenew + ", retryCount=" + retryCount
                + ", retryDelay=" + retryDelay + ", waitTimeout="
                + (waitTimeout.equals(WAIT_FOREVER) ? "forever" : waitTimeout.toString())
                + ", lockType=" + lockType + '}';
    }

    /**
     * Builds {@link LockOptions}. Each setter validates its argument immediately.
     */
    public static final class Builder {

        private Duration ttl = DEFAULT_TTL;
        private boolean autoRenew = DEFAULT_AUTO_RENEW;
        private int retryCount = DEFAULT_RETRY_COUNT;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
        private LockType lockType = DEFAULT_LOCK_TYPE;

        private Builder() {
        }

        private Builder(LockOptions o) {
            this.ttl = o.ttl;
            this.autoRenew = o.autoRenew;
            this.retryCount = o.retryCount;
            this.retryDelay = o.retryDelay;
            this.waitTimeout = o.waitTimeout;
            this.lockType = o.lockType;
        }

        /**
         * Sets the TTL. Backends may require more (etcd: whole seconds, at least its minimum
         * lease); that is checked when the lock is taken.
         *
         * @param ttl positive duration, at most {@link #MAX_DURATION}
         * @return this builder
         * @throws InvalidLockArgumentException if {@code ttl} is null, zero, negative or longer
         *     than {@link #MAX_DURATION}
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Arguments.atMost("ttl", requirePositive("ttl", ttl), MAX_DURATION);
            return this;
        }

        /**
         * Turns watchdog renewal on or off.
         *
         * @param autoRenew {@code true} to renew while held
         * @return this builder
         */
        public Builder autoRenew(boolean autoRenew) {
            this.autoRenew = autoRenew;
            return this;
        }

        /**
         * Sets how many times {@code tryLock} retries after its first attempt.
         *
         * @param retryCount 0 to {@value #MAX_RETRY_COUNT}
         * @return this builder
         * @throws InvalidLockArgumentException if out of range
         */
        public Builder retryCount(int retryCount) {
            if (retryCount < 0 || retryCount > MAX_RETRY_COUNT) {
                throw new InvalidLockArgumentException("retryCount",
                        "retryCount must be between 0 and " + MAX_RETRY_COUNT + ", but was " + retryCount);
            }
            this.retryCount = retryCount;
            return this;
        }

        /**
         * Sets the pause between {@code tryLock} attempts.
         *
         * @param retryDelay zero or positive, at most {@link #MAX_DURATION}
         * @return this builder
         * @throws InvalidLockArgumentException if null, negative or longer than {@link #MAX_DURATION}
         */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = Arguments.atMost("retryDelay", requireNonNegative("retryDelay", retryDelay), MAX_DURATION);
            return this;
        }

        /**
         * Sets how long {@code lock}/{@code acquire} wait. Zero means a single attempt; any value
         * beyond 292 years waits like {@link #WAIT_FOREVER}.
         *
         * @param waitTimeout zero, positive, or {@link #WAIT_FOREVER}
         * @return this builder
         * @throws InvalidLockArgumentException if null or negative
         */
        public Builder waitTimeout(Duration waitTimeout) {
            this.waitTimeout = requireNonNegative("waitTimeout", waitTimeout);
            return this;
        }

        /**
         * Makes {@code lock}/{@code acquire} wait without limit (until acquired or interrupted).
         *
         * @return this builder
         */
        public Builder waitForever() {
            this.waitTimeout = WAIT_FOREVER;
            return this;
        }

        /**
         * Sets exclusive or shared.
         *
         * @param lockType the type
         * @return this builder
         * @throws InvalidLockArgumentException if null
         */
        public Builder lockType(LockType lockType) {
            if (lockType == null) {
                throw new InvalidLockArgumentException("lockType", "lockType must not be null");
            }
            this.lockType = lockType;
            return this;
        }

        /**
         * Shortcut for {@code lockType(LockType.SHARED)}.
         *
         * @return this builder
         */
        public Builder shared() {
            return lockType(LockType.SHARED);
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public LockOptions build() {
            return new LockOptions(this);
        }

        private static Duration requirePositive(String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidLockArgumentException(name, name + " must be positive, but was " + value);
            }
            return value;
        }

        private static Duration requireNonNegative(String name, Duration value) {
            if (value == null || value.isNegative()) {
                throw new InvalidLockArgumentException(name, name + " must be zero or positive, but was " + value);
            }
            return value;
        }
    }
}
