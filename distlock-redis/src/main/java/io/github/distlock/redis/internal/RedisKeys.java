package io.github.distlock.redis.internal;

import java.util.List;

/**
 * The Redis keys of one lock. All share the hash tag {@code {key}} so that on Redis Cluster
 * they live in one slot, which lets one script touch them all and lets the release channel
 * (sharded pub/sub) live on the same node:
 *
 * <pre>
 *   PREFIX{key}     exclusive holder: "owner:fencingToken", with PX = TTL
 *   PREFIX{key}:r   shared holders: sorted set owner -> expiry (server ms)
 *   PREFIX{key}:t   shared holders' fencing tokens: hash owner -> token
 *   PREFIX{key}:w   waiting writers: sorted set owner -> marker expiry (server ms)
 *   PREFIX{key}:f   fencing counter (kept a day after the last grant)
 *   PREFIX{key}:q   waiting writers' order: sorted set "owner|ttl" -> first enqueue (server us)
 *   PREFIX{key}:c   release channel (sharded pub/sub)
 * </pre>
 *
 * <p>Braces and percent signs in the user's key are percent-encoded so that the hash tag is
 * always exactly the key.
 */
public final class RedisKeys {

    private final String base;

    private RedisKeys(String base) {
        this.base = base;
    }

    /**
     * Computes the keys of a lock.
     *
     * @param prefix the configured key prefix, for example {@code lock:}
     * @param key the user's lock key
     * @return the keys
     */
    public static RedisKeys of(String prefix, String key) {
        return new RedisKeys(prefix + "{" + escape(key) + "}");
    }

    /**
     * Recovers the user's key from an exclusive-holder or shared-holder Redis key, for listing.
     *
     * @param prefix the configured prefix
     * @param redisKey a Redis key
     * @return the user key, or {@code null} if {@code redisKey} is not a holder key
     */
    public static String userKey(String prefix, String redisKey) {
        if (!redisKey.startsWith(prefix + "{")) {
            return null;
        }
        int close = redisKey.lastIndexOf('}');
        if (close < 0) {
            return null;
        }
        String suffix = redisKey.substring(close + 1);
        if (!suffix.isEmpty() && !suffix.equals(":r")) {
            return null;
        }
        return unescape(redisKey.substring(prefix.length() + 1, close));
    }

    /**
     * Percent-encodes braces and percent signs, as the key layout does.
     *
     * @param key a user key or key prefix
     * @return the encoded form
     */
    public static String escapeKey(String key) {
        return escape(key);
    }

    static String escape(String key) {
        if (key.indexOf('{') < 0 && key.indexOf('}') < 0 && key.indexOf('%') < 0) {
            return key;
        }
        return key.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    static String unescape(String key) {
        if (key.indexOf('%') < 0) {
            return key;
        }
        return key.replace("%7B", "{").replace("%7D", "}").replace("%25", "%");
    }

    /** @return the exclusive-holder key, which also carries the hash tag */
    public String exclusive() {
        return base;
    }

    /** @return the shared holders' sorted set */
    public String readers() {
        return base + ":r";
    }

    /** @return the shared holders' token hash */
    public String readerTokens() {
        return base + ":t";
    }

    /** @return the waiting writers' sorted set */
    public String waitingWriters() {
        return base + ":w";
    }

    /** @return the fencing counter */
    public String fence() {
        return base + ":f";
    }

    /** @return the waiting writers' order (places in line, with each waiter's TTL) */
    public String waitingOrder() {
        return base + ":q";
    }

    /** @return the release channel */
    public String channel() {
        return base + ":c";
    }

    /** @return the keys every script gets, in script order: X, R, T, W, F, Q */
    public List<String> all() {
        return List.of(scriptKeys());
    }

    /**
     * The keys every script gets, as the fresh array a script call takes (no list in between:
     * this runs twice per lock + unlock cycle).
     *
     * @return X, R, T, W, F, Q
     */
    public String[] scriptKeys() {
        return new String[] {base, base + ":r", base + ":t", base + ":w", base + ":f", base + ":q"};
    }
}
