package io.github.distlock.spring;

import io.github.distlock.LockLease;
import io.github.distlock.spring.internal.LockedInvocationLeases;
import java.util.Optional;

/**
 * The lease of the innermost {@link DistributedLocked} method running on the calling thread, for
 * its fencing token or {@link LockLease#lost()}.
 *
 * <pre>{@code
 * @DistributedLocked(key = "'ledger-' + #account")
 * public void post(String account, Entry entry) {
 *     long token = CurrentLease.get().orElseThrow().fencingToken();
 *     ledger.write(account, entry, token);   // the ledger rejects smaller tokens
 * }
 * }</pre>
 */
public final class CurrentLease {

    private CurrentLease() {
    }

    /**
     * Returns the lease of the innermost {@code @DistributedLocked} method running on this thread.
     *
     * @return the lease, or empty outside such a method
     */
    public static Optional<LockLease> get() {
        return LockedInvocationLeases.innermost();
    }
}
