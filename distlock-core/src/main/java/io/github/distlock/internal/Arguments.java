package io.github.distlock.internal;

import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockOptions;
import io.github.distlock.spi.BackendLimits;
import java.time.Duration;

/**
 * Validation of public arguments. Every message names the parameter and the rejected value.
 */
public final class Arguments {

    private static final int SHOWN_KEY_CHARS = 60;

    private Arguments() {
    }

    /**
     * Checks a lock key: not null, not blank, at most {@link DistributedLock#MAX_KEY_LENGTH}
     * characters, no control characters, no unpaired surrogate (which has no UTF-8 form: stores
     * would see {@code '?'} and two different keys would name one lock).
     *
     * @param key the key
     * @return the key
     */
    public static String key(String key) {
        if (key == null) {
            throw new InvalidLockArgumentException("key", "key must not be null");
        }
        if (key.isBlank()) {
            throw new InvalidLockArgumentException("key", "key must not be blank, but was '" + key + "'");
        }
        if (key.length() > DistributedLock.MAX_KEY_LENGTH) {
            throw new InvalidLockArgumentException("key", "key must be at most " + DistributedLock.MAX_KEY_LENGTH
                    + " characters, but was " + key.length() + " characters: '" + key.substring(0, SHOWN_KEY_CHARS) + "...'");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new InvalidLockArgumentException("key", "key must not contain control characters, but was '"
                        + escape(key) + "'");
            }
        }
        int unpaired = unpairedSurrogate(key);
        if (unpaired >= 0) {
            throw new InvalidLockArgumentException("key", "key must be valid Unicode, but has an unpaired surrogate "
                    + String.format("\\u%04x", (int) key.charAt(unpaired)) + " at index " + unpaired + ": '"
                    + escape(key) + "'");
        }
        return key;
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks that a value is not null.
     *
     * @param name the parameter name
     * @param value the value
     * @param <T> its type
     * @return the value
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new InvalidLockArgumentException(name, name + " must not be null");
        }
        return value;
    }

    /**
     * Checks a name (of a service, for example): not null, not blank.
     *
     * @param name the parameter name
     * @param value the value
     * @return the value
     */
    public static String name(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidLockArgumentException(name, name + " must not be null or blank, but was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    /**
     * Checks a TTL against a backend's limits.
     *
     * @param name the parameter name
     * @param ttl the TTL
     * @param backend the backend name, for the message
     * @param limits the backend's limits
     * @return the TTL
     */
    public static Duration ttl(String name, Duration ttl, String backend, BackendLimits limits) {
        atMost(name, positive(name, ttl), LockOptions.MAX_DURATION);
        if (ttl.compareTo(limits.minimumTtl()) < 0) {
            throw new InvalidLockArgumentException(name, name + " must be at least " + limits.minimumTtl()
                    + " for backend '" + backend + "' (TTLs are stored in units of " + limits.ttlGranularity()
                    + "), but was " + ttl);
        }
        return ttl;
    }

    /**
     * Checks that a duration is positive.
     *
     * @param name the parameter name
     * @param value the value
     * @return the value
     */
    public static Duration positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidLockArgumentException(name, name + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * Checks that a duration is not longer than a maximum.
     *
     * @param name the parameter name
     * @param value the value, not null
     * @param max the maximum
     * @return the value
     */
    public static Duration atMost(String name, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new InvalidLockArgumentException(name, name + " must be at most " + max + " (" + max.toDays()
                    + " days), but was " + value);
        }
        return value;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < SHOWN_KEY_CHARS; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
