package io.github.distlock.spring.integration;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockOptions;
import io.github.distlock.internal.Arguments;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * Spring Integration's {@code LockRegistry} over a {@link DistributedLock}, for the components
 * that take one (leader election with {@code LockRegistryLeaderInitiator}, aggregators, the
 * {@code executeLocked} helpers). {@link #obtain(Object)} returns
 * {@link DistributedLock#asLock(String, LockOptions)}: reentrant per thread, released by the
 * thread that locked it, renewed by the client's watchdog while held.
 */
public class DistlockLockRegistry implements RenewableLockRegistry<Lock> {

    private final DistributedLock lock;
    private final LockOptions options;

    /**
     * Creates the registry with the client's default options.
     *
     * @param lock the client
     */
    public DistlockLockRegistry(DistributedLock lock) {
        this(lock, Arguments.notNull("lock", lock).defaultOptions());
    }

    /**
     * Creates the registry.
     *
     * @param lock the client
     * @param options TTL, type and auto-renewal of the locks it hands out
     */
    public DistlockLockRegistry(DistributedLock lock, LockOptions options) {
        this.lock = Arguments.notNull("lock", lock);
        this.options = Arguments.notNull("options", options);
    }

    /**
     * Returns the lock of a key.
     *
     * @param lockKey the key; its {@code toString()} is the lock key
     * @return a {@link Lock} view of the key
     */
    @Override
    public Lock obtain(Object lockKey) {
        return lock.asLock(key(lockKey), options);
    }

    /**
     * Renews the calling thread's lock of {@code lockKey} by the registry's TTL.
     *
     * @param lockKey the key
     */
    @Override
    public void renewLock(Object lockKey) {
        lock.renew(key(lockKey), options.ttl());
    }

    /**
     * Renews the calling thread's lock of {@code lockKey} by {@code ttl}.
     *
     * @param lockKey the key
     * @param ttl the new TTL
     */
    @Override
    public void renewLock(Object lockKey, Duration ttl) {
        lock.renew(key(lockKey), ttl);
    }

    private static String key(Object lockKey) {
        return Arguments.notNull("lockKey", lockKey).toString();
    }
}
