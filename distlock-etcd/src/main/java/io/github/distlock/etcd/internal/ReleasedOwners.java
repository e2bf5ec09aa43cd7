package io.github.distlock.etcd.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Owner tokens the core released (gave up on) in the last two minutes: an acquire attempt still
 * in flight for one of them must not leave a key behind.
 *
 * <p>Forgetting is amortised O(1) per release: tokens also sit in a queue in the order they were
 * released, and each release drops the expired ones from its head (a scan of the whole set on
 * every release cost more than the etcd calls at a few thousand releases a second).
 */
final class ReleasedOwners {

    private static final long FORGET_AFTER_NANOS = TimeUnit.MINUTES.toNanos(2);

    private record Entry(String owner, long atNanos) {
    }

    private final ConcurrentHashMap<String, Long> owners = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

    /**
     * Records that the core released {@code owner}, and forgets tokens released more than two
     * minutes ago.
     *
     * @param owner the owner token
     */
    void add(String owner) {
        long now = System.nanoTime();
        owners.put(owner, now);
        order.add(new Entry(owner, now));
        Entry head;
        while ((head = order.peek()) != null && now - head.atNanos() > FORGET_AFTER_NANOS) {
            if (order.remove(head)) {
                // Only if not released again since (tokens are unique, so this is defensive).
                owners.remove(head.owner(), head.atNanos());
            }
        }
    }

    /**
     * @param owner an owner token
     * @return whether the core released {@code owner} in the last two minutes
     */
    boolean contains(String owner) {
        return owners.containsKey(owner);
    }

    /** @return the number of tokens remembered, for tests */
    int size() {
        return owners.size();
    }
}
