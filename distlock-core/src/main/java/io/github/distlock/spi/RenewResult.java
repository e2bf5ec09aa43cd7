package io.github.distlock.spi;

import java.time.Duration;

/**
 * The outcome of one renewal.
 *
 * @param renewed whether the owner still held the key and its TTL was extended
 * @param ttl the TTL granted by the store when renewed; {@code null} otherwise
 */
public record RenewResult(boolean renewed, Duration ttl) {

    private static final RenewResult NOT_HELD = new RenewResult(false, null);

    /**
     * The renewal succeeded.
     *
     * @param ttl the granted TTL
     * @return the result
     */
    public static RenewResult renewed(Duration ttl) {
        return new RenewResult(true, ttl);
    }

    /**
     * The store no longer lists the owner: the lock is lost.
     *
     * @return the result
     */
    public static RenewResult notHeld() {
        return NOT_HELD;
    }
}
