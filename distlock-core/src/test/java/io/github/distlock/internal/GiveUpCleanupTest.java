package io.github.distlock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A waiter that gives up (timeout, interrupt, cancel, close) has removed what it left in the
 * store by the time the caller hears about it, also when the store answers asynchronously and a
 * attempt is still in flight when the caller gives up.
 */
@Timeout(30)
class GiveUpCleanupTest {

    private static final Duration LATENCY = Duration.ofMillis(150);

    private final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    private final List<DistributedLock> clients = new ArrayList<>();
    private final String key = "k-" + UUID.randomUUID();
    private final LockOptions shared = LockOptions.builder().lockType(LockType.SHARED).build();

    private DistributedLock local() {
        DistributedLock c = DistributedLocks.create(new InMemoryLockBackend(store));
        clients.add(c);
        return c;
    }

    private DistributedLock remote() {
        DistributedLock c = DistributedLocks.create(new RemoteLikeBackend(new InMemoryLockBackend(store), LATENCY));
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(DistributedLock::close);
    }

    /** New readers are not blocked by a writer that already gave up, now or while its last calls land. */
    private void assertNoWriterMarkerLeft(DistributedLock probe) throws InterruptedException {
        readerGetsIn(probe);
        Duration period = LATENCY.multipliedBy(4);
        org.awaitility.Awaitility.await().atMost(period.multipliedBy(3)).during(period)
                .pollInterval(Duration.ofMillis(10)).pollInSameThread()
                .failFast("a new reader was refused after the writer gave up", () -> !readerGetsIn(probe))
                .until(() -> true);
    }

    private boolean readerGetsIn(DistributedLock probe) throws InterruptedException {
        LockLease reader = probe.tryAcquire(key, shared)
                .orElseThrow(() -> new AssertionError("a new reader was refused: the writer that gave up left its marker"));
        reader.release();
        return true;
    }

    @Test
    void timedOutWriterHasRemovedItsMarkerWhenAcquireThrows() throws Exception {
        local().acquire(key, shared);
        DistributedLock writer = remote();
        assertThatThrownBy(() -> writer.acquire(key, LockOptions.builder().waitTimeout(Duration.ofMillis(400)).build()))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertNoWriterMarkerLeft(local());
    }

    @Test
    void interruptedWriterHasRemovedItsMarkerWhenAcquireThrows() throws Exception {
        local().acquire(key, shared);
        DistributedLock writer = remote();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                writer.acquire(key, LockOptions.defaults());
            } catch (Throwable e) {
                outcome.set(e);
            } finally {
                done.countDown();
            }
        });
        t.start();
        // Interrupt while an attempt is in flight: the first attempt takes LATENCY to land.
        assertThat(done.await(LATENCY.toMillis() + LATENCY.toMillis() / 2, TimeUnit.MILLISECONDS)).isFalse();
        t.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertNoWriterMarkerLeft(local());
    }

    @Test
    void failedAcquireAsyncHasRemovedItsMarker() throws Exception {
        local().acquire(key, shared);
        DistributedLock writer = remote();
        CompletableFuture<LockLease> f = writer.acquireAsync(key, LockOptions.builder().waitTimeout(Duration.ofMillis(400)).build());
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LockAcquisitionTimeoutException.class);
        assertNoWriterMarkerLeft(local());
    }

    @Test
    void grantLandingAfterInterruptIsReleasedBeforeInterruptedExceptionIsThrown() throws Exception {
        DistributedLock client = remote();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                client.acquire(key, LockOptions.defaults());
            } catch (Throwable e) {
                outcome.set(e);
            } finally {
                done.countDown();
            }
        });
        t.start();
        // The key is free: the grant is in flight for LATENCY; interrupt before it lands.
        assertThat(done.await(LATENCY.toMillis() / 3, TimeUnit.MILLISECONDS)).isFalse();
        t.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        if (outcome.get() == null) {
            return; // the grant won the race with the interrupt: acquire returned the lease, which is fine
        }
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        DistributedLock probe = local();
        Duration period = LATENCY.multipliedBy(4);
        org.awaitility.Awaitility.await().atMost(period.multipliedBy(3)).during(period)
                .pollInterval(Duration.ofMillis(10)).pollInSameThread()
                .failFast("the late grant was still held after acquire threw", () -> probe.isLocked(key))
                .until(() -> true);
    }

    @Test
    void cancelledAcquireAsyncReleasesALateGrant() throws Exception {
        DistributedLock client = remote();
        DistributedLock probe = local();
        CompletableFuture<LockLease> f = client.acquireAsync(key, LockOptions.defaults());
        assertThat(f.cancel(true)).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(LATENCY.multipliedBy(3))
                .until(() -> !probe.isLocked(key));
        assertThat(probe.tryAcquire(key, LockOptions.defaults())).isPresent();
    }

    @Test
    void closeRemovesTheMarkersOfPendingWaits() throws Exception {
        local().acquire(key, shared);
        DistributedLock writer = remote();
        CompletableFuture<LockLease> f = writer.acquireAsync(key, LockOptions.defaults());
        DistributedLock probe = local();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> probe.tryAcquire(key, shared).map(LockLease::release).isEmpty());
        writer.close();
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).hasCauseInstanceOf(LockClosedException.class);
        assertNoWriterMarkerLeft(probe);
    }
}
