package io.github.distlock.spi;

import io.github.distlock.LockType;
import java.util.Objects;

/**
 * One owner's claim on one key: what the store compares on release and renew. The owner token
 * is random (128 bits from {@link java.security.SecureRandom}, hex encoded), minted by the core
 * for every grant; it never repeats, so a stale claim can never match a newer grant. It is a
 * secret (whoever knows it can release or renew the lock through the store), so
 * {@link #toString()} does not show it.
 *
 * @param key the lock key, as the user gave it (the backend adds its own prefix)
 * @param type exclusive or shared
 * @param ownerToken the owner's random token
 */
public record LockClaim(String key, LockType type, String ownerToken) {

    /**
     * Validates the fields.
     *
     * @param key the lock key
     * @param type exclusive or shared
     * @param ownerToken the owner's random token
     */
    public LockClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ownerToken, "ownerToken");
    }

    /**
     * Describes the claim without its owner token.
     *
     * @return key and type
     */
    @Override
    public String toString() {
        return "LockClaim{key='" + key + "', type=" + type + ", ownerToken=***}";
    }
}
