package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockService;
import io.github.distlock.LockType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link LockService}: run work under a lock, always releasing it, plus the brief's
 * {@code IsLocked}, {@code Renew} and {@code GetLockInfo}.
 */
public abstract class LockServiceConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected LockServiceConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * {@code withLock} holds the lock while the work runs and releases it after.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void withLockHoldsDuringTheWorkAndReleasesAfter() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        AtomicReference<Boolean> heldInside = new AtomicReference<>();
        AtomicReference<Long> token = new AtomicReference<>();
        service.withLock(key, lease -> {
            heldInside.set(other.isLocked(key) && lease.isHeld());
            token.set(lease.fencingToken());
        });
        assertThat(heldInside.get()).isTrue();
        assertThat(token.get()).isPositive();
        assertThat(other.isLocked(key)).isFalse();
        assertThat(service.lock().currentLease(key)).isEmpty();
    }

    /**
     * When the work throws, the lock is released and the very same exception reaches the caller.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void withLockReleasesWhenTheWorkThrowsAndRethrowsTheSameException() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        IOException checked = new IOException("boom");
        Throwable thrown = catchThrowable(() -> service.withLock(key, lease -> {
            throw checked;
        }));
        assertThat(thrown).isSameAs(checked);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(other.isLocked(key)).isFalse();

        IllegalStateException unchecked = new IllegalStateException("bang");
        assertThat(catchThrowable(() -> service.callWithLock(key, lease -> {
            throw unchecked;
        }))).isSameAs(unchecked);
        assertThat(other.isLocked(key)).isFalse();

        AssertionError error = new AssertionError("error");
        assertThat(catchThrowable(() -> service.tryWithLock(key, lease -> {
            throw error;
        }))).isSameAs(error);
        assertThat(other.isLocked(key)).isFalse();
        assertThat(service.lock().currentLease(key)).isEmpty();
    }

    /**
     * {@code tryWithLock} returns false without running the work while another client holds the key.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryWithLockDoesNotRunWhenHeldElsewhere() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        LockLease holder = other.acquire(key, longLived());
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(service.tryWithLock(key, lease -> ran.set(true))).isFalse();
        assertThat(ran).isFalse();
        assertThat(holder.isHeld()).isTrue();
        assertThat(other.getLockInfo(key).fencingToken()).isEqualTo(holder.fencingToken());
    }

    /**
     * {@code tryWithLock} runs the work on a free key, returns true and releases.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryWithLockRunsAndReleasesOnAFreeKey() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        AtomicBoolean heldInside = new AtomicBoolean();
        assertThat(service.tryWithLock(key, lease -> heldInside.set(other.isLocked(key)))).isTrue();
        assertThat(heldInside).isTrue();
        assertThat(other.isLocked(key)).isFalse();
    }

    /**
     * {@code callWithLock} returns the work's value.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void callWithLockReturnsTheValue() throws Exception {
        LockService service = context().newService();
        String key = randomKey();
        long token = service.callWithLock(key, LockLease::fencingToken);
        assertThat(token).isPositive();
        assertThat(service.<String, RuntimeException>callWithLock(key, longLived(), lease -> "value:" + lease.key()))
                .isEqualTo("value:" + key);
        assertThat(service.isLocked(key)).isFalse();
    }

    /**
     * {@code isLocked}, {@code getLockInfo} and {@code renew} go to the store for the calling thread's lock.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void isLockedGetLockInfoAndRenewDelegate() throws Exception {
        LockService service = context().newService();
        String key = randomKey();
        assertThat(service.isLocked(key)).isFalse();
        service.withLock(key, expiring(Duration.ofSeconds(5)), lease -> {
            assertThat(service.isLocked(key)).isTrue();
            LockInfo info = service.getLockInfo(key);
            assertThat(info.holderCount()).isEqualTo(1);
            assertThat(info.type()).contains(LockType.EXCLUSIVE);
            assertThat(info.fencingToken()).isEqualTo(lease.fencingToken());
            service.renew(key, Duration.ofSeconds(60));
            assertThat(service.getLockInfo(key).remainingTtl()).isGreaterThan(Duration.ofSeconds(30));
        });
        assertThat(service.isLocked(key)).isFalse();
        assertThatThrownBy(() -> service.renew(key, LONG_TTL)).isInstanceOf(LockNotHeldException.class);
    }

    /**
     * Nested {@code withLock} on the same key re-enters; the lock is released only by the outer one.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void nestedWithLockReenters() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        AtomicReference<Boolean> heldBetween = new AtomicReference<>();
        service.withLock(key, outer -> {
            service.withLock(key, inner -> assertThat(inner).isSameAs(outer));
            heldBetween.set(other.isLocked(key) && outer.isHeld());
        });
        assertThat(heldBetween.get()).isTrue();
        assertThat(other.isLocked(key)).isFalse();
    }

    /**
     * {@code withLock} whose wait times out throws {@link LockAcquisitionTimeoutException} and never runs the work.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void withLockTimesOutWithoutRunningTheWork() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        other.acquire(key, longLived());
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> service.withLock(key, waitingAtMost(quietPeriod()), lease -> ran.set(true)))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(ran).isFalse();
    }

    /**
     * A closed service rejects calls with {@link LockClosedException} and has closed its client (releasing its locks).
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closedServiceRejectsCallsAndReleasesItsLocks() throws Exception {
        LockService service = context().newService();
        DistributedLock other = newClient();
        String key = randomKey();
        LockLease lease = service.lock().acquire(key, longLived());
        service.close();
        service.close();
        assertThat(other.isLocked(key)).isFalse();
        assertThat(lease.isHeld()).isFalse();
        assertThatThrownBy(() -> service.withLock(key, l -> { })).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> service.tryWithLock(key, l -> { })).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> service.isLocked(key)).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> service.getLockInfo(key)).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> service.lock().tryAcquire(key)).isInstanceOf(LockClosedException.class);
    }
}
