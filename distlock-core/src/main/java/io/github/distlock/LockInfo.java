package io.github.distlock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one key's lock state as the store reports it, for any client (not only the
 * holder). Returned by {@link DistributedLock#getLockInfo(String)}.
 */
public final class LockInfo {

    private final String key;
    private final LockType type;
    private final int holderCount;
    private final long fencingToken;
    private final Duration remainingTtl;

    private LockInfo(String key, LockType type, int holderCount, long fencingToken, Duration remainingTtl) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = type;
        this.holderCount = holderCount;
        this.fencingToken = fencingToken;
        this.remainingTtl = Objects.requireNonNull(remainingTtl, "remainingTtl");
    }

    /**
     * Describes a key nobody holds.
     *
     * @param key the key
     * @param lastFencingToken the last token granted for the key, or 0 when the store does not know
     * @return the info
     */
    public static LockInfo free(String key, long lastFencingToken) {
        return new LockInfo(key, null, 0, lastFencingToken, Duration.ZERO);
    }

    /**
     * Describes a held key.
     *
     * @param key the key
     * @param type how it is held
     * @param holderCount how many owners hold it (1 for exclusive)
     * @param fencingToken the largest fencing token among the current holders
     * @param remainingTtl the longest remaining TTL among the holders
     * @return the info
     */
    public static LockInfo held(String key, LockType type, int holderCount, long fencingToken, Duration remainingTtl) {
        Objects.requireNonNull(type, "type");
        if (holderCount < 1) {
            throw new IllegalArgumentException("holderCount must be at least 1 for a held lock, but was " + holderCount);
        }
        return new LockInfo(key, type, holderCount, fencingToken, remainingTtl);
    }

    /** @return the key */
    public String key() {
        return key;
    }

    /** @return whether anyone holds the key now */
    public boolean held() {
        return holderCount > 0;
    }

    /** @return how the key is held, or empty when it is free */
    public Optional<LockType> type() {
        return Optional.ofNullable(type);
    }

    /** @return how many owners hold the key: 0 when free, 1 for exclusive, any number for shared */
    public int holderCount() {
        return holderCount;
    }

    /**
     * Returns the fencing token: while held, the largest token among current holders; when free,
     * the last token granted if the store remembers it, otherwise 0.
     *
     * @return the fencing token
     */
    public long fencingToken() {
        return fencingToken;
    }

    /** @return the longest remaining TTL among holders, or zero when free */
    public Duration remainingTtl() {
        return remainingTtl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockInfo other
                && key.equals(other.key)
                && type == other.type
                && holderCount == other.holderCount
                && fencingToken == other.fencingToken
                && remainingTtl.equals(other.remainingTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, type, holderCount, fencingToken, remainingTtl);
    }

    @Override
    public String toString() {
        return held()
                ? "LockInfo{key='" + key + "', held by " + holderCount + " as " + type + ", fencingToken=" + fencingToken
                        + ", remainingTtl=" + remainingTtl + '}'
                : "LockInfo{key='" + key + "', free, fencingToken=" + fencingToken + '}';
    }
}
