package io.github.distlock.bench.systems;

import java.time.Duration;
import java.util.Objects;

/**
 * How a system is opened for one run.
 *
 * @param renewTtl the TTL of watchdog-renewed locks (Redisson's {@code lockWatchdogTimeout},
 *     distlock's auto-renew TTL, the jetcd lease TTL): 30 s for the throughput scenarios, short
 *     (3 s, renewal every second) for the held-locks scenario
 * @param fixedTtl the TTL of locks that are not renewed (raw ceilings, explicit-TTL variants)
 * @param operationTimeout the deadline of every single server call
 */
public record SystemConfig(Duration renewTtl, Duration fixedTtl, Duration operationTimeout) {

    /** Defaults of the throughput scenarios: 30 s TTLs, 10 s per call. */
    public static final SystemConfig THROUGHPUT =
            new SystemConfig(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /**
     * Validates the fields.
     *
     * @param renewTtl watchdog TTL
     * @param fixedTtl explicit TTL
     * @param operationTimeout per-call deadline
     */
    public SystemConfig {
        Objects.requireNonNull(renewTtl, "renewTtl");
        Objects.requireNonNull(fixedTtl, "fixedTtl");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
    }

    /**
     * Returns a copy with another watchdog TTL.
     *
     * @param ttl the watchdog TTL
     * @return the new config
     */
    public SystemConfig withRenewTtl(Duration ttl) {
        return new SystemConfig(ttl, fixedTtl, operationTimeout);
    }
}
