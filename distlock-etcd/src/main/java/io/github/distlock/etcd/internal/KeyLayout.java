package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.github.distlock.LockType;
import io.github.distlock.etcd.EtcdLockStrategy;
import io.github.distlock.spi.LockClaim;
import java.nio.charset.StandardCharsets;

/**
 * Where a lock's keys live. The user's key is escaped ({@code %} as {@code %25}, {@code /} as
 * {@code %2F}) so that it holds no {@code /}: then no lock's key range can be a prefix of
 * another lock's, and a prefix scan never sees a foreign lock.
 *
 * <pre>
 * TXN    exclusive:  PREFIX + esc(key)                    value = owner token
 *        shared:     PREFIX + esc(key) + "/r/" + owner    one key per reader
 * MUTEX  writer:     PREFIX + esc(key) + "/q/w/" + owner  the queue, ordered by create revision
 *        reader:     PREFIX + esc(key) + "/q/r/" + owner
 * </pre>
 */
public final class KeyLayout {

    private final String prefix;

    /**
     * Creates the layout.
     *
     * @param prefix prepended to every key (inside the jetcd namespace, if any)
     */
    public KeyLayout(String prefix) {
        this.prefix = prefix;
    }

    /** @return the key prefix */
    public String prefix() {
        return prefix;
    }

    /**
     * Escapes a user key so that it contains no {@code /}.
     *
     * @param key the user's lock key
     * @return the escaped key
     */
    public static String escape(String key) {
        return key.replace("%", "%25").replace("/", "%2F");
    }

    /**
     * Reverses {@link #escape}.
     *
     * @param escaped an escaped key
     * @return the user's key
     */
    public static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("%2F", i)) {
                out.append('/');
                i += 2;
            } else if (escaped.startsWith("%25", i)) {
                out.append('%');
                i += 2;
            } else {
                out.append(escaped.charAt(i));
            }
        }
        return out.toString();
    }

    /**
     * Returns the user's lock key a store key belongs to, or {@code null} for a key outside the
     * prefix.
     *
     * @param storeKey a key read from etcd
     * @return the lock key
     */
    String lockKeyOf(ByteSequence storeKey) {
        String k = utf8(storeKey);
        if (!k.startsWith(prefix)) {
            return null;
        }
        String rest = k.substring(prefix.length());
        int slash = rest.indexOf('/');
        return unescape(slash >= 0 ? rest.substring(0, slash) : rest);
    }

    /** @return the range-scan prefix of every lock whose key starts with {@code keyPrefix} */
    ByteSequence scanPrefix(String keyPrefix) {
        return bytes(prefix + escape(keyPrefix));
    }

    /** @return the TXN lock key (exclusive holder or waiting-writer marker) */
    ByteSequence txnKey(String key) {
        return bytes(prefix + escape(key));
    }

    /** @return the prefix of the TXN reader keys of {@code key} */
    ByteSequence txnReaderDir(String key) {
        return bytes(prefix + escape(key) + "/r/");
    }

    /** @return the prefix of the MUTEX queue of {@code key} (writers and readers) */
    ByteSequence queueDir(String key) {
        return bytes(prefix + escape(key) + "/q/");
    }

    /** @return the prefix of the MUTEX writers of {@code key} */
    ByteSequence queueWriterDir(String key) {
        return bytes(prefix + escape(key) + "/q/w/");
    }

    /**
     * Returns the key that records the claim's owner in the store.
     *
     * @param strategy the strategy
     * @param claim the claim
     * @return the owner's key
     */
    ByteSequence ownKey(EtcdLockStrategy strategy, LockClaim claim) {
        String base = prefix + escape(claim.key());
        if (strategy == EtcdLockStrategy.TXN) {
            return claim.type() == LockType.EXCLUSIVE ? bytes(base) : bytes(base + "/r/" + claim.ownerToken());
        }
        return bytes(base + (claim.type() == LockType.EXCLUSIVE ? "/q/w/" : "/q/r/") + claim.ownerToken());
    }

    /** @return whether a MUTEX queue key belongs to a writer */
    static boolean isQueueWriter(ByteSequence queueKey) {
        return utf8(queueKey).contains("/q/w/");
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /**
     * Returns a store key for a message or a log line: MUTEX queue keys and shared TXN reader
     * keys end with the owner token, which is replaced by {@code ***}.
     *
     * @param key the store key
     * @param ownerToken the owner token it may contain
     * @return the key without the token
     */
    static String shown(ByteSequence key, String ownerToken) {
        return utf8(key).replace(ownerToken, "***");
    }

    static String utf8(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
