package io.github.distlock;

import io.github.distlock.internal.Arguments;
import io.github.distlock.internal.PeriodicRenewal;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Convenience over one {@link DistributedLock}: run work while holding a lock, with the lock
 * always released afterwards, plus the brief's {@code IsLocked}, {@code Renew},
 * {@code GetLockInfo} and {@code AutoRenew}.
 *
 * <pre>{@code
 * LockService service = new LockService(DistributedLocks.open("redis://localhost:6379"));
 * service.withLock("report-2024-06", lease -> generateReport(lease.fencingToken()));
 * }</pre>
 *
 * <p>{@code withLock} uses the key-based, thread-bound API: nested {@code withLock} calls for
 * the same key on the same thread re-enter without a round trip, and {@link #renew} inside the
 * work renews the current thread's lock. The work's exception reaches the caller unchanged; if
 * releasing also fails, that failure is attached to it as suppressed.
 */
public final class LockService implements AutoCloseable {

    private final DistributedLock lock;
    private final LockOptions defaults;
    private final ReentrantLock schedulerLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledThreadPoolExecutor scheduler;

    /**
     * Wraps a client, using its default options. The service owns the client: {@link #close()}
     * closes it.
     *
     * @param lock the client
     */
    public LockService(DistributedLock lock) {
        this(lock, Arguments.notNull("lock", lock).defaultOptions());
    }

    /**
     * Wraps a client with the given default options. The service owns the client.
     *
     * @param lock the client
     * @param defaults options for calls that take none
     */
    public LockService(DistributedLock lock, LockOptions defaults) {
        this.lock = Arguments.notNull("lock", lock);
        this.defaults = Arguments.notNull("defaults", defaults);
    }

    /** @return the wrapped client */
    public DistributedLock lock() {
        return lock;
    }

    /** @return the options used by calls that take none */
    public LockOptions defaults() {
        return defaults;
    }

    /**
     * Runs {@code work} while holding the lock, waiting for it as the default options allow.
     *
     * @param key the lock key
     * @param work the work
     * @param <E> what the work throws
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting for the lock
     * @throws LockAcquisitionTimeoutException if the wait timeout passes
     */
    public <E extends Exception> void withLock(String key, LockedRunnable<E> work) throws E, InterruptedException {
        withLock(key, defaults, work);
    }

    /**
     * Runs {@code work} while holding the lock, waiting up to {@code options.waitTimeout()}.
     *
     * @param key the lock key
     * @param options TTL, type, wait timeout
     * @param work the work
     * @param <E> what the work throws
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting for the lock
     * @throws LockAcquisitionTimeoutException if the wait timeout passes
     */
    public <E extends Exception> void withLock(String key, LockOptions options, LockedRunnable<E> work)
            throws E, InterruptedException {
        Arguments.notNull("work", work);
        callWithLock(key, options, lease -> {
            work.run(lease);
            return null;
        });
    }

    /**
     * Runs {@code work} while holding the lock and returns its result.
     *
     * @param key the lock key
     * @param work the work
     * @param <T> the result type
     * @param <E> what the work throws
     * @return the work's result
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public <T, E extends Exception> T callWithLock(String key, LockedCallable<T, E> work) throws E, InterruptedException {
        return callWithLock(key, defaults, work);
    }

    /**
     * Runs {@code work} while holding the lock and returns its result.
     *
     * @param key the lock key
     * @param options TTL, type, wait timeout
     * @param work the work
     * @param <T> the result type
     * @param <E> what the work throws
     * @return the work's result
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public <T, E extends Exception> T callWithLock(String key, LockOptions options, LockedCallable<T, E> work)
            throws E, InterruptedException {
        Arguments.notNull("work", work);
        checkOpen();
        lock.lock(key, options);
        return runHeld(key, work);
    }

    /**
     * Runs {@code work} only if the lock can be had now (after the options' retries).
     *
     * @param key the lock key
     * @param work the work
     * @param <E> what the work throws
     * @return whether the work ran
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted between retries
     */
    public <E extends Exception> boolean tryWithLock(String key, LockedRunnable<E> work) throws E, InterruptedException {
        return tryWithLock(key, defaults, work);
    }

    /**
     * Runs {@code work} only if the lock can be had after {@code options.retryCount()} retries.
     *
     * @param key the lock key
     * @param options TTL, type, retries
     * @param work the work
     * @param <E> what the work throws
     * @return whether the work ran
     * @throws E the work's exception, unchanged
     * @throws InterruptedException if interrupted between retries
     */
    public <E extends Exception> boolean tryWithLock(String key, LockOptions options, LockedRunnable<E> work)
            throws E, InterruptedException {
        Arguments.notNull("work", work);
        checkOpen();
        if (!lock.tryLock(key, options)) {
            return false;
        }
        runHeld(key, lease -> {
            work.run(lease);
            return null;
        });
        return true;
    }

    private <T, E extends Exception> T runHeld(String key, LockedCallable<T, E> work) throws E {
        T result;
        try {
            result = work.call(lock.currentLease(key).orElseThrow());
        } catch (Throwable failure) {
            try {
                lock.unlock(key);
            } catch (RuntimeException unlockFailure) {
                failure.addSuppressed(unlockFailure);
            }
            throw failure;
        }
        lock.unlock(key);
        return result;
    }

    /**
     * Tells whether anyone holds the key.
     *
     * @param key the lock key
     * @return {@code true} if held
     */
    public boolean isLocked(String key) {
        checkOpen();
        return lock.isLocked(key);
    }

    /**
     * Renews the calling thread's lock on {@code key} (inside {@code withLock}, for example).
     *
     * @param key the lock key
     * @param ttl the new TTL
     * @throws LockNotHeldException if the calling thread does not hold it
     * @throws LockLostException if it was lost
     */
    public void renew(String key, Duration ttl) {
        checkOpen();
        lock.renew(key, ttl);
    }

    /**
     * Reads the key's lock state.
     *
     * @param key the lock key
     * @return holders, type, fencing token, remaining TTL
     */
    public LockInfo getLockInfo(String key) {
        checkOpen();
        return lock.getLockInfo(key);
    }

    /**
     * Renews the calling thread's lock on {@code key} by its TTL every {@code interval}, from a
     * background scheduler, until stopped, released or lost. Use it for locks taken with
     * auto-renew off; auto-renewed locks need none of this.
     *
     * @param key the lock key, held by the calling thread
     * @param interval time between renewals, shorter than the lock's TTL
     * @return the running renewal; stop it or watch {@link AutoRenewal#lost()}
     * @throws LockNotHeldException if the calling thread does not hold the key
     */
    public AutoRenewal autoRenew(String key, Duration interval) {
        checkOpen();
        LockLease lease = lock.currentLease(Arguments.key(key)).orElseThrow(() -> new LockNotHeldException(
                "cannot auto-renew lock '" + key + "': thread '" + Thread.currentThread().getName() + "' does not hold it"));
        return autoRenew(lease, interval);
    }

    /**
     * Renews {@code lease} by its TTL every {@code interval} until stopped, released or lost.
     *
     * @param lease the lease
     * @param interval time between renewals, shorter than the lease's TTL
     * @return the running renewal
     */
    public AutoRenewal autoRenew(LockLease lease, Duration interval) {
        checkOpen();
        Arguments.notNull("lease", lease);
        Arguments.positive("interval", interval);
        if (interval.compareTo(lease.ttl()) >= 0) {
            throw new InvalidLockArgumentException("interval", "interval must be shorter than the lock's ttl "
                    + lease.ttl() + ", but was " + interval);
        }
        return new PeriodicRenewal(lease, interval, scheduler());
    }

    private ScheduledExecutorService scheduler() {
        schedulerLock.lock();
        try {
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "distlock-service-renewal");
                    t.setDaemon(true);
                    return t;
                });
                scheduler.setRemoveOnCancelPolicy(true);
            }
            return scheduler;
        } finally {
            schedulerLock.unlock();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new LockClosedException("this LockService over backend '" + lock.backendName() + "' is closed");
        }
    }

    /** Stops auto-renewals and closes the client (releasing its locks). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        schedulerLock.lock();
        try {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        } finally {
            schedulerLock.unlock();
        }
        lock.close();
    }
}
