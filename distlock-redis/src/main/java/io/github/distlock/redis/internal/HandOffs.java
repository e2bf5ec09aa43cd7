package io.github.distlock.redis.internal;

import io.github.distlock.spi.AcquireResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The exclusive waiters of this client that the server may hand a lock to, and the hand-offs
 * it announced, so that the waiter's next acquire attempt completes without a round trip.
 *
 * <p>A waiter is recorded when its attempt comes back busy and enqueued, with the time
 * {@code s} that attempt was <em>sent</em>; the release notification of a hand-off to it
 * ({@link ReleaseNotifications}) stores the fencing token in the record. The core then calls
 * {@code tryAcquire} again with the same claim, and {@link #take} answers it.
 *
 * <p><b>Never more validity than the server gives.</b> The server set the grantee's key with
 * PX = its TTL at the grant time {@code g}, which the client does not know. {@code s} is a safe
 * lower bound of {@code g}: the busy attempt ran on the server after it was sent, and before
 * {@code g} (run after {@code g}, it would have found the lock its own and answered granted).
 * So the grant lives at least until {@code s + ttl}. The core counts a grant's validity from
 * the moment it sent the attempt, which is before {@link #take} runs; {@link #take} reports
 * {@code ttl - (now - s)}, rounded down to the millisecond, so the core's believed expiry is at
 * most {@code s + ttl}. When less than half the TTL is left that way (a slow wake-up, a long
 * pause) it reports nothing and the caller runs one confirming ACQUIRE instead, whose
 * {@code who == owner} path returns the key's real remaining PTTL.
 *
 * <p>That argument needs the grant to be later than the busy attempt, which the message alone
 * does not prove (it travels on another connection, and could be late): the busy reply carries
 * the largest token granted so far, and a hand-off counts only if its token is larger.
 *
 * <p>Owner tokens are unique per acquire operation, so a record can only ever answer the
 * operation that enqueued: records are removed when taken, when the waiter's notification is
 * cancelled (the core stopped waiting), and when the claim is released (the core gives up and
 * releases whatever it may have been handed). A lost record costs only time: the waiter's
 * re-check timer runs ACQUIRE, which finds the lock its own.
 */
public final class HandOffs {

    private static final HexFormat HEX = HexFormat.of();
    private static final MessageDigest SHA1 = newSha1();
    private final ConcurrentHashMap<String, Waiter> waiters = new ConcurrentHashMap<>();

    /**
     * The tag that names an owner in hand-off messages: the first 16 hex digits of its SHA-1,
     * as the release script computes it ({@code redis.sha1hex}). Owner tokens are secrets and
     * never appear in a message.
     *
     * @param owner the owner token
     * @return the tag
     */
    public static String tag(String owner) {
        byte[] digest = sha1().digest(owner.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, 8);
    }

    /** A fresh SHA-1 digest: cloned, since {@code getInstance} looks the provider up reflectively each time. */
    private static MessageDigest sha1() {
        try {
            return (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException e) {
            return newSha1();
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
    }

    /**
     * Records that an owner's attempt came back busy and enqueued.
     *
     * @param owner the owner token
     * @param waiter the waiter created for that attempt
     * @param floor the busy reply's token floor: only a hand-off with a larger token is later
     */
    public void waiting(String owner, Waiter waiter, long floor) {
        waiter.floor = floor;
        waiters.put(owner, waiter);
    }

    /**
     * Forgets an owner's waiter, if it is still the recorded one.
     *
     * @param owner the owner token
     * @param waiter the waiter to forget
     */
    public void forget(String owner, Waiter waiter) {
        waiters.remove(owner, waiter);
    }

    /**
     * Forgets whatever is recorded for an owner (its claim is being released).
     *
     * @param owner the owner token
     */
    public void forget(String owner) {
        if (!waiters.isEmpty()) {
            waiters.remove(owner);
        }
    }

    /**
     * Removes the owner's record and, if the lock was handed to it and enough of the grant is
     * certainly left, answers the attempt with it.
     *
     * @param owner the owner token
     * @param ttlMillis the TTL the waiter asked for (the hand-off used it as PX)
     * @return the grant, or {@code null} when the caller must ask the server
     */
    public AcquireResult.Acquired take(String owner, long ttlMillis) {
        if (waiters.isEmpty()) {
            return null;
        }
        Waiter w = waiters.remove(owner);
        if (w == null || w.token <= w.floor) {
            return null;
        }
        long elapsedMillis = (System.nanoTime() - w.sentNanos + 999_999) / 1_000_000;
        long left = ttlMillis - elapsedMillis;
        if (left * 2 < ttlMillis) {
            return null;
        }
        return new AcquireResult.Acquired(w.token, Duration.ofMillis(left));
    }

    /**
     * One busy attempt of an exclusive waiter: when it was sent, and the token of a hand-off to
     * it (0 until then), and the token floor of its busy reply. Receives the token from the
     * release notification.
     */
    public static final class Waiter implements LongConsumer {

        private volatile long sentNanos;
        private volatile long token;
        private volatile long floor = Long.MAX_VALUE;

        /** Marks the attempt as sent now; call right before sending it. */
        public void sending() {
            sentNanos = System.nanoTime();
        }

        @Override
        public void accept(long handedToken) {
            token = handedToken;
        }
    }
}
