package io.github.distlock.internal;

import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The {@link Lock} view of one key ({@code DistributedLock.asLock}): each method maps onto the
 * client's thread-bound, reentrant key-based API, so views of the same key and direct
 * {@code lock}/{@code unlock} calls share one hold per thread.
 */
final class KeyLockView implements Lock {

    private final DefaultDistributedLock client;
    private final String key;
    private final LockOptions waitForever;
    private final LockOptions oneAttempt;

    KeyLockView(DefaultDistributedLock client, String key, LockOptions options) {
        this.client = client;
        this.key = key;
        this.waitForever = options.toBuilder().waitForever().build();
        this.oneAttempt = options.toBuilder().retryCount(0).build();
    }

    /** Waits as long as it takes; an interrupt while waiting is remembered and set again on return. */
    @Override
    public void lock() {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    client.lock(key, waitForever);
                    return;
                } catch (InterruptedException e) {
                    // The interrupted wait removed what it created; wait again, as ReentrantLock.lock() does.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before locking '" + key + "'");
        }
        client.lock(key, waitForever);
    }

    /** One attempt, ignoring (and keeping) the interrupt status; {@code false} if interrupted during the attempt. */
    @Override
    public boolean tryLock() {
        boolean interrupted = Thread.interrupted();
        try {
            return client.tryLock(key, oneAttempt);
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Arguments.notNull("unit", unit);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before locking '" + key + "'");
        }
        Duration wait = Duration.ofNanos(Math.max(0, unit.toNanos(time)));
        try {
            client.lock(key, waitForever.toBuilder().waitTimeout(wait).build());
            return true;
        } catch (LockAcquisitionTimeoutException timedOut) {
            return false;
        }
    }

    @Override
    public void unlock() {
        try {
            client.unlock(key);
        } catch (LockNotHeldException notHeld) {
            IllegalMonitorStateException e = new IllegalMonitorStateException(notHeld.getMessage());
            e.initCause(notHeld);
            throw e;
        }
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("distributed lock '" + key + "' has no conditions: a Condition's "
                + "await/signal would have to reach threads in other processes, which distlock does not provide; "
                + "use a java.util.concurrent.locks.ReentrantLock for conditions within this JVM, or a queue or "
                + "the store's own notifications across processes");
    }

    @Override
    public String toString() {
        return "Lock{key='" + key + "', backend=" + client.backendName() + ", heldByCurrentThread="
                + client.currentLease(key).isPresent() + '}';
    }
}
