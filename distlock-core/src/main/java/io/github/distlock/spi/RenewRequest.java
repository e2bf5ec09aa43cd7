package io.github.distlock.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One renewal in a batch.
 *
 * @param claim the held claim
 * @param ttl the new TTL, from now
 */
public record RenewRequest(LockClaim claim, Duration ttl) {

    /**
     * Validates the fields.
     *
     * @param claim the held claim
     * @param ttl the new TTL
     */
    public RenewRequest {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(ttl, "ttl");
    }
}
