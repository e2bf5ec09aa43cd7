package io.github.distlock;

import io.github.distlock.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Named {@link LockService}s, for applications that lock against several stores (say, Redis
 * for hot paths and etcd for leader-style jobs): register each once, then lock by service name.
 * {@link #close()} closes every registered service.
 *
 * <pre>{@code
 * try (LockManager manager = new LockManager()) {
 *     manager.register("redis", new LockService(DistributedLocks.open("redis://localhost:6379")));
 *     manager.register("etcd", new LockService(DistributedLocks.open("etcd://localhost:2379")));
 *     manager.withLock("redis", "resource-1", lease -> work());
 * }
 * }</pre>
 */
public final class LockManager implements AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, LockService> services = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates an empty manager. */
    public LockManager() {
    }

    /**
     * Registers a service under a name. The manager then owns it and closes it on {@link #close()}.
     *
     * @param name a unique, non-blank name
     * @param service the service
     * @return this manager
     * @throws InvalidLockArgumentException if the name is blank or already registered
     */
    public LockManager register(String name, LockService service) {
        Arguments.name("name", name);
        Arguments.notNull("service", service);
        lock.lock();
        try {
            checkOpen();
            if (services.containsKey(name)) {
                throw new InvalidLockArgumentException("name", "a lock service named '" + name
                        + "' is already registered; unregister it first");
            }
            services.put(name, service);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a service without closing it; the caller owns it again.
     *
     * @param name the service name
     * @return the removed service
     * @throws LockServiceNotFoundException if no service has that name
     */
    public LockService unregister(String name) {
        lock.lock();
        try {
            checkOpen();
            LockService removed = services.remove(Arguments.name("name", name));
            if (removed == null) {
                throw new LockServiceNotFoundException(name, services.keySet());
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a registered service.
     *
     * @param name the service name
     * @return the service
     * @throws LockServiceNotFoundException if no service has that name
     */
    public LockService service(String name) {
        Arguments.name("name", name);
        lock.lock();
        try {
            checkOpen();
            LockService service = services.get(name);
            if (service == null) {
                throw new LockServiceNotFoundException(name, services.keySet());
            }
            return service;
        } finally {
            lock.unlock();
        }
    }

    /** @return the registered names, in registration order */
    public Set<String> names() {
        lock.lock();
        try {
            return Collections.unmodifiableSet(new LinkedHashSet<>(services.keySet()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs work while holding {@code key} on the named service; see {@link LockService#withLock(String, LockedRunnable)}.
     *
     * @param service the service name
     * @param key the lock key
     * @param work the work
     * @param <E> what the work throws
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting
     */
    public <E extends Exception> void withLock(String service, String key, LockedRunnable<E> work)
            throws E, InterruptedException {
        service(service).withLock(key, work);
    }

    /**
     * Runs work and returns its result while holding {@code key} on the named service.
     *
     * @param service the service name
     * @param key the lock key
     * @param work the work
     * @param <T> the result type
     * @param <E> what the work throws
     * @return the work's result
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting
     */
    public <T, E extends Exception> T callWithLock(String service, String key, LockedCallable<T, E> work)
            throws E, InterruptedException {
        return service(service).callWithLock(key, work);
    }

    /**
     * Runs work only if {@code key} can be had now on the named service.
     *
     * @param service the service name
     * @param key the lock key
     * @param work the work
     * @param <E> what the work throws
     * @return whether the work ran
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted between retries
     */
    public <E extends Exception> boolean tryWithLock(String service, String key, LockedRunnable<E> work)
            throws E, InterruptedException {
        return service(service).tryWithLock(key, work);
    }

    /**
     * Renews the calling thread's lock on {@code key} on the named service.
     *
     * @param service the service name
     * @param key the lock key
     * @param ttl the new TTL
     */
    public void renew(String service, String key, Duration ttl) {
        service(service).renew(key, ttl);
    }

    /**
     * Tells whether anyone holds {@code key} on the named service.
     *
     * @param service the service name
     * @param key the lock key
     * @return {@code true} if held
     */
    public boolean isLocked(String service, String key) {
        return service(service).isLocked(key);
    }

    /**
     * Reads {@code key}'s lock state on the named service.
     *
     * @param service the service name
     * @param key the lock key
     * @return holders, type, fencing token, remaining TTL
     */
    public LockInfo getLockInfo(String service, String key) {
        return service(service).getLockInfo(key);
    }

    /**
     * Closes every registered service; idempotent. If some fail to close, the others are still
     * closed and the first failure is thrown with the rest suppressed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<LockService> toClose;
        lock.lock();
        try {
            toClose = new ArrayList<>(services.values());
            services.clear();
        } finally {
            lock.unlock();
        }
        RuntimeException first = null;
        for (LockService s : toClose) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new LockClosedException("this LockManager is closed");
        }
    }
}
