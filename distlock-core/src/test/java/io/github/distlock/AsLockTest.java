package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link java.util.concurrent.locks.Lock} view of a key ({@link DistributedLock#asLock}). */
@Timeout(30)
class AsLockTest {

    private static final long DEADLINE_SECONDS = 10;

    private final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    private final DistributedLock client = DistributedLocks.create(new InMemoryLockBackend(store));
    private final DistributedLock other = DistributedLocks.create(new InMemoryLockBackend(store));
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String key = "view-" + UUID.randomUUID();

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        client.close();
        other.close();
    }

    @Test
    void isReentrantPerThreadLikeReentrantLock() {
        Lock lock = client.asLock(key);
        lock.lock();
        assertThat(lock.tryLock()).isTrue();
        LockLease lease = client.currentLease(key).orElseThrow();
        assertThat(other.getLockInfo(key).holderCount()).isEqualTo(1);
        lock.unlock();
        assertThat(other.isLocked(key)).as("one hold left").isTrue();
        lock.unlock();
        assertThat(other.isLocked(key)).isFalse();
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void sharesTheHoldWithTheKeyBasedApiAndOtherViews() throws Exception {
        Lock first = client.asLock(key);
        Lock second = client.asLock(key, LockOptions.builder().ttl(Duration.ofSeconds(20)).build());
        first.lock();
        second.lock();
        client.lock(key);
        client.unlock(key);
        first.unlock();
        assertThat(other.isLocked(key)).isTrue();
        second.unlock();
        assertThat(other.isLocked(key)).isFalse();
    }

    @Test
    void unlockByAThreadThatDoesNotHoldItThrowsIllegalMonitorState() throws Exception {
        Lock lock = client.asLock(key);
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining(key);
        lock.lock();
        Future<?> foreign = threads.submit(lock::unlock);
        assertThatThrownBy(() -> foreign.get(DEADLINE_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalMonitorStateException.class)
                .hasRootCauseInstanceOf(LockNotHeldException.class);
        assertThat(other.isLocked(key)).isTrue();
        lock.unlock();
        assertThat(other.isLocked(key)).isFalse();
    }

    @Test
    void tryLockMakesOneAttemptAndTimedTryLockWaits() throws Exception {
        Lock mine = client.asLock(key);
        Lock theirs = other.asLock(key);
        mine.lock();
        assertThat(inThread(theirs::tryLock)).isFalse();
        assertThat(inThread(() -> theirs.tryLock(0, TimeUnit.SECONDS))).isFalse();
        assertThat(inThread(() -> theirs.tryLock(50, TimeUnit.MILLISECONDS))).isFalse();

        CountDownLatch waiting = new CountDownLatch(1);
        Future<Boolean> waiter = threads.submit(() -> {
            waiting.countDown();
            boolean got = theirs.tryLock(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (got) {
                theirs.unlock();
            }
            return got;
        });
        assertThat(waiting.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        mine.unlock();
        assertThat(waiter.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void lockIgnoresInterruptsWhileWaitingAndRestoresTheStatus() throws Exception {
        Lock mine = client.asLock(key);
        Lock theirs = other.asLock(key);
        mine.lock();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interruptedAfterLock = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            started.countDown();
            theirs.lock();
            interruptedAfterLock.complete(Thread.currentThread().isInterrupted());
            theirs.unlock();
        });
        waiter.setDaemon(true);
        waiter.start();
        assertThat(started.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(DEADLINE_SECONDS))
                .until(() -> waiter.getState() == Thread.State.WAITING || waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        assertThat(interruptedAfterLock).as("lock() returned while the lock was held elsewhere").isNotDone();
        mine.unlock();
        assertThat(interruptedAfterLock.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        waiter.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
    }

    @Test
    void lockInterruptiblyGivesUpOnInterruptAndLeavesNothingBehind() throws Exception {
        Lock mine = client.asLock(key);
        Lock theirs = other.asLock(key);
        mine.lock();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                theirs.lockInterruptibly();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(DEADLINE_SECONDS))
                .until(() -> waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        assertThat(outcome.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(other.currentLease(key)).isEmpty();
        mine.unlock();
        assertThat(other.isLocked(key)).isFalse();

        Thread.currentThread().interrupt();
        assertThatThrownBy(theirs::lockInterruptibly).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the status is consumed, as ReentrantLock does").isFalse();
    }

    @Test
    void tryLockOnAnInterruptedThreadStillTriesAndKeepsTheStatus() {
        Lock lock = client.asLock(key);
        Thread.currentThread().interrupt();
        try {
            assertThat(lock.tryLock()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        lock.unlock();
    }

    @Test
    void newConditionIsUnsupportedAndSaysWhy() {
        assertThatThrownBy(() -> client.asLock(key).newCondition())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("other processes");
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> client.asLock(" "))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("key"));
        assertThatThrownBy(() -> client.asLock(key, null))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("options"));
        assertThatThrownBy(() -> client.asLock(key).tryLock(1, null))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("unit"));
    }

    @Test
    void sharedViewsOfTwoClientsHoldTogether() throws Exception {
        LockOptions shared = LockOptions.builder().shared().build();
        Lock a = client.asLock(key, shared);
        Lock b = other.asLock(key, shared);
        a.lock();
        assertThat(inThread(b::tryLock)).isTrue();
        assertThat(other.getLockInfo(key).holderCount()).isEqualTo(2);
        try (DistributedLock third = DistributedLocks.create(new InMemoryLockBackend(store))) {
            assertThat(third.asLock(key).tryLock()).as("exclusive while shared").isFalse();
        }
        a.unlock();
    }

    private boolean inThread(java.util.concurrent.Callable<Boolean> call) throws Exception {
        return threads.submit(call).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}
