package io.github.distlock.spring.internal;

import io.github.distlock.LockLease;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The leases of the {@code @DistributedLocked} methods running on each thread, innermost first;
 * behind {@link io.github.distlock.spring.CurrentLease}.
 */
public final class LockedInvocationLeases {

    private static final ThreadLocal<Deque<LockLease>> LEASES = new ThreadLocal<>();

    private LockedInvocationLeases() {
    }

    /**
     * Returns the lease of the innermost locked method running on this thread.
     *
     * @return the lease, or empty outside such a method
     */
    public static Optional<LockLease> innermost() {
        Deque<LockLease> leases = LEASES.get();
        return leases == null ? Optional.empty() : Optional.ofNullable(leases.peek());
    }

    static void push(LockLease lease) {
        Deque<LockLease> leases = LEASES.get();
        if (leases == null) {
            leases = new ArrayDeque<>();
            LEASES.set(leases);
        }
        leases.push(lease);
    }

    static void pop() {
        Deque<LockLease> leases = LEASES.get();
        leases.pop();
        if (leases.isEmpty()) {
            LEASES.remove();
        }
    }
}
