package io.github.distlock.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What a backend can store, checked by the core before anything is sent.
 *
 * @param ttlGranularity the unit TTLs are stored in (Redis: 1 ms; etcd: 1 s, TTLs are rounded up)
 * @param minimumTtl the smallest TTL the backend accepts
 */
public record BackendLimits(Duration ttlGranularity, Duration minimumTtl) {

    /** Millisecond TTLs, at least 1 ms: the in-memory and Redis backends. */
    public static final BackendLimits MILLISECONDS = new BackendLimits(Duration.ofMillis(1), Duration.ofMillis(1));

    /**
     * Validates the fields.
     *
     * @param ttlGranularity positive
     * @param minimumTtl positive
     */
    public BackendLimits {
        Objects.requireNonNull(ttlGranularity, "ttlGranularity");
        Objects.requireNonNull(minimumTtl, "minimumTtl");
    }
}
