package io.github.distlock;

import io.github.distlock.internal.Arguments;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Client-wide settings: the default {@link LockOptions}, the deadline of every call to the
 * store, the clock, the safety margin of local lost-lock detection, and the
 * {@link LockEventListener}s. Immutable; build with {@link #builder()}.
 */
public final class LockClientOptions {

    /** Default deadline for one call to the store: 5 seconds. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Default clock-drift factor: 1%. A lease is treated as lost locally at
     * {@code sendTime + ttl - (ttl * factor + 2 ms)} unless renewed, so the holder stops
     * trusting it slightly before the store can hand it to someone else.
     */
    public static final double DEFAULT_CLOCK_DRIFT_FACTOR = 0.01;

    private static final LockClientOptions DEFAULTS = new Builder().build();

    private final LockOptions defaultLockOptions;
    private final Duration operationTimeout;
    private final Clock clock;
    private final double clockDriftFactor;
    private final List<LockEventListener> eventListeners;

    private LockClientOptions(Builder b) {
        this.defaultLockOptions = b.defaultLockOptions;
        this.operationTimeout = b.operationTimeout;
        this.clock = b.clock;
        this.clockDriftFactor = b.clockDriftFactor;
        this.eventListeners = List.copyOf(b.eventListeners);
    }

    /** @return the default client options */
    public static LockClientOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with default values */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this instance's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the options used by calls that take none */
    public LockOptions defaultLockOptions() {
        return defaultLockOptions;
    }

    /** @return the deadline of every single call to the store */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** @return the clock used for {@link LockLease#expiresAt()} and loss timestamps */
    public Clock clock() {
        return clock;
    }

    /** @return the fraction of the TTL subtracted as safety margin in local lost-lock detection */
    public double clockDriftFactor() {
        return clockDriftFactor;
    }

    /** @return the event listeners, in the order they are called; empty when none is registered */
    public List<LockEventListener> eventListeners() {
        return eventListeners;
    }

    @Override
    public String toString() {
        return "LockClientOptions{defaultLockOptions=" + defaultLockOptions + ", operationTimeout=" + operationTimeout
                + ", clock=" + clock + ", clockDriftFactor=" + clockDriftFactor + ", eventListeners="
                + eventListeners.size() + '}';
    }

    /**
     * Builds {@link LockClientOptions}; setters validate immediately.
     */
    public static final class Builder {

        private LockOptions defaultLockOptions = LockOptions.defaults();
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private double clockDriftFactor = DEFAULT_CLOCK_DRIFT_FACTOR;
        private final List<LockEventListener> eventListeners = new ArrayList<>();

        private Builder() {
        }

        private Builder(LockClientOptions o) {
            this.defaultLockOptions = o.defaultLockOptions;
            this.operationTimeout = o.operationTimeout;
            this.clock = o.clock;
            this.clockDriftFactor = o.clockDriftFactor;
            this.eventListeners.addAll(o.eventListeners);
        }

        /**
         * Sets the options used by calls that take none.
         *
         * @param options the defaults
         * @return this builder
         */
        public Builder defaultLockOptions(LockOptions options) {
            if (options == null) {
                throw new InvalidLockArgumentException("defaultLockOptions", "defaultLockOptions must not be null");
            }
            this.defaultLockOptions = options;
            return this;
        }

        /**
         * Sets the deadline of every single call to the store. A call that takes longer fails
         * with {@link LockBackendException}.
         *
         * @param timeout positive duration, at most {@link LockOptions#MAX_DURATION}
         * @return this builder
         */
        public Builder operationTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new InvalidLockArgumentException("operationTimeout",
                        "operationTimeout must be positive, but was " + timeout);
            }
            this.operationTimeout = Arguments.atMost("operationTimeout", timeout, LockOptions.MAX_DURATION);
            return this;
        }

        /**
         * Sets the clock (tests inject a fixed or controllable one).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the clock-drift factor of local lost-lock detection.
         *
         * @param factor from 0 (inclusive) to 0.5 (exclusive)
         * @return this builder
         */
        public Builder clockDriftFactor(double factor) {
            if (!(factor >= 0 && factor < 0.5)) {
                throw new InvalidLockArgumentException("clockDriftFactor",
                        "clockDriftFactor must be in [0, 0.5), but was " + factor);
            }
            this.clockDriftFactor = factor;
            return this;
        }

        /**
         * Adds a listener for the client's {@link LockEvent}s; may be called more than once, and
         * listeners are called in the order they were added. For metrics, add
         * {@code io.github.distlock.metrics.MicrometerLockMetrics}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder eventListener(LockEventListener listener) {
            if (listener == null) {
                throw new InvalidLockArgumentException("eventListener", "eventListener must not be null");
            }
            this.eventListeners.add(listener);
            return this;
        }

        /** @return the immutable options */
        public LockClientOptions build() {
            return new LockClientOptions(this);
        }
    }
}
