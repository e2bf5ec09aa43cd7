package io.github.distlock.redis.internal;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Release notifications for every key this client waits on, over ONE pub/sub connection
 * (opened with the backend, on the caller's thread: connecting blocks, and nothing here may block
 * while holding the lock or on a Lettuce event-loop thread). Each lock has a sharded channel in its key's slot; the release
 * script publishes to it. A channel is subscribed while anyone waits on it and for a short
 * linger afterwards, so a hot key's waiters do not re-subscribe on every hand-off.
 *
 * <p>Arming is race-free: the waiter's future is registered and the subscription confirmed
 * before the acquire script runs, so a release between the script's answer and the wait
 * cannot be missed.
 *
 * <p>A release wakes every shared waiter of the channel (readers can all get in together) but
 * only ONE exclusive waiter, the longest-waiting one: only one can win, and waking them all made
 * every local waiter run the acquire script on every hand-off of a hot key. The others stay
 * parked until the next release or their own re-check time. No wake-up is lost: the woken
 * waiter either gets the lock (and its release publishes), or is busy again and re-arms, or
 * gives up, and an exclusive waiter that gives up removes its waiting marker with the release
 * script, which publishes again and so wakes the next one. A reconnect still wakes everyone
 * ({@link #wakeAll()}).
 *
 * <p>A release that handed the lock to a waiting writer on the server publishes
 * {@code h:<tag>:<token>}: it wakes the shared waiters as any release does, and of the
 * exclusive waiters only the grantee (the one armed with that tag), after passing it the token
 * ({@link #arm(String, String, LongConsumer)}). The other exclusive waiters
 * stay parked: the lock is held again. If the grantee is not waiting here at that moment it
 * has an attempt in flight (which finds the lock its own) or has given up (its release hands
 * the lock on), so no wake-up is lost.
 *
 * <p>The release script replies with the same {@code h:<tag>:<token>}, and the releasing
 * client completes its own grantee from the reply ({@link #handedOff}), which is sooner than
 * the message and spares a thread hop. When the release named that grantee
 * ({@link #firstHandOffTag}), the script publishes nothing at all: the reply is the only
 * announcement (shared waiters are not woken: a writer holds the lock again), and a release
 * whose reply may have been lost (it failed, or answered "not held", as Lettuce's resend of it
 * after a reconnect does) wakes every waiter of the channel to look again ({@link #wakeAll(String)}).
 */
public final class ReleaseNotifications extends RedisPubSubAdapter<String, String> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseNotifications.class);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Channel> channels = new HashMap<>();
    /** Channels whose subscription is confirmed, readable without the lock (every acquire asks). */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private StatefulRedisPubSubConnection<String, String> connection;
    private final ScheduledFuture<?> sweeper;
    private boolean closed;

    /**
     * Creates the multiplexer over an open pub/sub connection, which it then owns.
     *
     * @param connection the pub/sub connection (standalone or cluster)
     * @param scheduler runs the linger sweep
     */
    public ReleaseNotifications(StatefulRedisPubSubConnection<String, String> connection,
            ScheduledExecutorService scheduler) {
        this.connection = connection;
        this.scheduler = scheduler;
        connection.addListener(this);
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Registers interest in a channel.
     *
     * @param channel the lock's release channel
     * @param exclusive whether the waiter wants the lock exclusively (one such waiter is woken
     *         per release) or shared (all are woken)
     * @return completes, once the subscription is active, with the future that completes on the
     *         next release that wakes this waiter; cancel that future to stop waiting
     */
    public CompletableFuture<CompletableFuture<Void>> arm(String channel, boolean exclusive) {
        return arm(channel, new Interest(exclusive, null, null));
    }

    /**
     * Registers an exclusive waiter that the server may hand the lock to.
     *
     * @param channel the lock's release channel
     * @param tag the waiter's tag, as the release script computes it from its owner token
     * @param onHandOff called with the fencing token when a release hands this waiter the lock,
     *         before the returned future completes
     * @return as {@link #arm(String, boolean)}
     */
    public CompletableFuture<CompletableFuture<Void>> arm(String channel, String tag, LongConsumer onHandOff) {
        return arm(channel, new Interest(true, tag, onHandOff));
    }

    private CompletableFuture<CompletableFuture<Void>> arm(String channel, Interest interest) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        CompletableFuture<Void> subscribed;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("release notifications are closed"));
            }
            Channel ch = channels.get(channel);
            if (ch == null || ch.subscribed.isCompletedExceptionally()) {
                Channel created = new Channel(subscribe(channel));
                channels.put(channel, created);
                created.subscribed.thenRun(() -> confirm(channel, created));
                ch = created;
            }
            ch.waiters.put(waiter, interest);
            ch.idleSinceNanos = 0;
            subscribed = ch.subscribed;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        waiter.whenComplete((v, e) -> leave(channel, waiter));
        return subscribed.thenApply(v -> waiter);
    }

    // Caller holds the lock. Asynchronous: sends SSUBSCRIBE and returns.
    private CompletableFuture<Void> subscribe(String channel) {
        return connection.async().ssubscribe(channel).toCompletableFuture();
    }

    private void leave(String channel, CompletableFuture<Void> waiter) {
        lock.lock();
        try {
            Channel ch = channels.get(channel);
            if (ch != null && ch.waiters.remove(waiter) != null && ch.waiters.isEmpty()) {
                ch.idleSinceNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void smessage(String channel, String message) {
        onMessage(channel, message);
    }

    @Override
    public void message(String channel, String message) {
        onMessage(channel, message);
    }

    private void onMessage(String channel, String message) {
        long token = handOffToken(message);
        if (token > 0) {
            handOff(channel, message.substring(2, 18), token, true);
        } else {
            wake(channel);
        }
    }

    /**
     * The token of a hand-off message {@code h:<16 hex tag>:<token>}, which names the writer the
     * lock was handed to; 0 for anything else (a plain release).
     */
    private static long handOffToken(String message) {
        if (message.length() > 19 && message.startsWith("h:") && message.charAt(18) == ':') {
            try {
                return Long.parseLong(message, 19, message.length(), 10);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * Completes the grantee of a hand-off this client's own release made, if it waits here,
     * from the release's reply: the same {@code h:<tag>:<token>} the release publishes, which
     * then finds the grantee gone and wakes only the shared waiters. Nothing else is woken here.
     *
     * @param channel the lock's release channel
     * @param message the release's reply, {@code h:<tag>:<token>}
     */
    public void handedOff(String channel, String message) {
        long token = handOffToken(message);
        if (token > 0) {
            handOff(channel, message.substring(2, 18), token, false);
        }
    }

    /** Wakes the grantee of a hand-off, if it waits here, and every shared waiter if asked. */
    private void handOff(String channel, String tag, long token, boolean wakeShared) {
        List<CompletableFuture<Void>> shared = new ArrayList<>();
        CompletableFuture<Void> grantee = null;
        Interest granteeInterest = null;
        lock.lock();
        try {
            Channel ch = channels.get(channel);
            if (ch == null) {
                return;
            }
            for (Map.Entry<CompletableFuture<Void>, Interest> e : ch.waiters.entrySet()) {
                Interest i = e.getValue();
                if (!i.exclusive) {
                    if (wakeShared) {
                        shared.add(e.getKey());
                    }
                } else if (grantee == null && tag.equals(i.tag)) {
                    grantee = e.getKey();
                    granteeInterest = i;
                }
            }
        } finally {
            lock.unlock();
        }
        shared.forEach(w -> w.complete(null));
        if (grantee != null && !grantee.isDone()) {
            granteeInterest.onHandOff.accept(token);
            grantee.complete(null);
        }
    }

    /** Wakes every shared waiter and the longest-waiting exclusive waiter of the channel. */
    private void wake(String channel) {
        List<CompletableFuture<Void>> shared = new ArrayList<>();
        List<CompletableFuture<Void>> exclusive = new ArrayList<>();
        lock.lock();
        try {
            Channel ch = channels.get(channel);
            if (ch == null) {
                return;
            }
            ch.waiters.forEach((w, i) -> (i.exclusive ? exclusive : shared).add(w));
        } finally {
            lock.unlock();
        }
        shared.forEach(w -> w.complete(null));
        // In arrival order; a waiter that was cancelled or woken meanwhile does not count.
        for (CompletableFuture<Void> w : exclusive) {
            if (w.complete(null)) {
                break;
            }
        }
    }

    /** Wakes every waiter, for example after a reconnect during which releases may have been missed. */
    public void wakeAll() {
        wakeAll(null);
    }

    /**
     * Wakes every waiter of one channel: a release that may have handed the lock to one of them
     * without a message lost its reply, so each looks again (the grantee finds the lock its own).
     *
     * @param channel the lock's release channel, or {@code null} for every channel
     */
    public void wakeAll(String channel) {
        List<CompletableFuture<Void>> toWake = new ArrayList<>();
        lock.lock();
        try {
            for (Map.Entry<String, Channel> e : channels.entrySet()) {
                if (channel == null || channel.equals(e.getKey())) {
                    toWake.addAll(e.getValue().waiters.keySet());
                }
            }
        } finally {
            lock.unlock();
        }
        toWake.forEach(w -> w.complete(null));
    }

    /**
     * The tag of the longest-waiting exclusive waiter of a channel that the server may hand the
     * lock to: a release passes it, and a hand-off to it is then announced only in the release's
     * reply, not published.
     *
     * @param channel the lock's release channel
     * @return the tag, or {@code ""} when no such waiter waits here
     */
    public String firstHandOffTag(String channel) {
        if (confirmed.isEmpty()) {
            return "";
        }
        lock.lock();
        try {
            Channel ch = channels.get(channel);
            if (ch != null) {
                for (Map.Entry<CompletableFuture<Void>, Interest> e : ch.waiters.entrySet()) {
                    if (e.getValue().tag != null && !e.getKey().isDone()) {
                        return e.getValue().tag;
                    }
                }
            }
            return "";
        } finally {
            lock.unlock();
        }
    }

    private void sweep() {
        List<String> idle = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            Iterator<Map.Entry<String, Channel>> it = channels.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Channel> e = it.next();
                Channel ch = e.getValue();
                if (ch.waiters.isEmpty() && ch.idleSinceNanos != 0 && now - ch.idleSinceNanos > LINGER_NANOS) {
                    it.remove();
                    confirmed.remove(e.getKey());
                    idle.add(e.getKey());
                }
            }
            if (!idle.isEmpty() && connection != null) {
                // Sent while holding the lock so that a later SSUBSCRIBE of the same channel is
                // ordered after this SUNSUBSCRIBE on the one connection.
                connection.async().sunsubscribe(idle.toArray(String[]::new)).exceptionally(e -> {
                    log.debug("Unsubscribing {} idle release channels failed", idle.size(), e);
                    return null;
                });
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether arming on a channel is free right now: it is subscribed (someone here waits on it,
     * or did within the linger), so arming sends nothing to the server.
     *
     * @param channel the lock's release channel
     * @return whether the channel's subscription is confirmed
     */
    public boolean isSubscribed(String channel) {
        return confirmed.contains(channel);
    }

    /** @return whether any channel is subscribed: a cheap test before {@link #isSubscribed} */
    public boolean anySubscribed() {
        return !confirmed.isEmpty();
    }

    private void confirm(String channel, Channel ch) {
        lock.lock();
        try {
            if (channels.get(channel) == ch) {
                confirmed.add(channel);
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return the number of channels currently subscribed, for tests */
    public int subscribedChannels() {
        lock.lock();
        try {
            return channels.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the pub/sub connection; see {@link #closeAsync()}. */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Cancels every waiter and closes the pub/sub connection.
     *
     * @return completes when the connection is closed
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> closing = CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            channels.values().forEach(ch -> waiters.addAll(ch.waiters.keySet()));
            channels.clear();
            confirmed.clear();
            sweeper.cancel(false);
            if (connection != null) {
                connection.removeListener(this);
                closing = connection.closeAsync();
                connection = null;
            }
        } finally {
            lock.unlock();
        }
        waiters.forEach(w -> w.cancel(false));
        return closing;
    }

    /**
     * What a waiter waits for.
     *
     * @param exclusive whether it wants the lock exclusively
     * @param tag its owner's tag for hand-offs, or {@code null}
     * @param onHandOff receives the token of a hand-off to it, or {@code null}
     */
    private record Interest(boolean exclusive, String tag, LongConsumer onHandOff) {
    }

    private static final class Channel {
        /** Waiter -> what it waits for, in arrival order. */
        final Map<CompletableFuture<Void>, Interest> waiters = new LinkedHashMap<>();
        final CompletableFuture<Void> subscribed;
        long idleSinceNanos;

        Channel(CompletableFuture<Void> subscribed) {
            this.subscribed = subscribed;
        }
    }
}
