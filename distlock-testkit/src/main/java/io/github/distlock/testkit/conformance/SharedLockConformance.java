package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Shared (read) locks: many readers or one writer, and a waiting writer is not starved.
 */
public abstract class SharedLockConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected SharedLockConformance(ConformanceContext context) {
        super(context);
    }

    private static LockOptions sharedWaitingAtMost(Duration waitTimeout) {
        return sharedLongLived().toBuilder().waitTimeout(waitTimeout).build();
    }

    /**
     * Many readers on several clients hold the key together.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void manyReadersHoldTogetherAcrossClients() throws Exception {
        List<DistributedLock> clients = List.of(newClient(), newClient(), newClient());
        String key = randomKey();
        List<LockLease> readers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var lease = clients.get(i % clients.size()).tryAcquire(key, sharedLongLived());
            assertThat(lease).as("reader %d", i).isPresent();
            readers.add(lease.get());
        }
        assertThat(clients.get(0).getLockInfo(key).holderCount()).isEqualTo(6);
        assertThat(readers).allMatch(LockLease::isHeld);
        for (LockLease r : readers) {
            assertThat(r.type()).isEqualTo(LockType.SHARED);
            assertThat(r.release()).isTrue();
        }
    }

    /**
     * A writer is refused while readers hold, and gets the key once they are gone.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void writerIsRefusedWhileReadersHold() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease r1 = a.acquire(key, sharedLongLived());
        LockLease r2 = a.acquire(key, sharedLongLived());
        assertThat(b.tryAcquire(key, longLived())).isEmpty();
        assertThat(b.tryLock(key, longLived())).isFalse();
        r1.release();
        assertThat(b.tryAcquire(key, longLived())).isEmpty();
        r2.release();
        assertThat(b.tryAcquire(key, longLived())).isPresent();
    }

    /**
     * A reader is refused while a writer holds.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void readerIsRefusedWhileWriterHolds() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease w = a.acquire(key, longLived());
        assertThat(b.tryAcquire(key, sharedLongLived())).isEmpty();
        assertThat(b.tryLock(key, sharedLongLived())).isFalse();
        assertThat(a.tryAcquire(key, sharedLongLived())).isEmpty();
        w.release();
        assertThat(b.tryAcquire(key, sharedLongLived())).isPresent();
    }

    /**
     * A writer blocked behind readers gets the key promptly when the last reader releases.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void waitingWriterGetsTheKeyWhenTheLastReaderReleases() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease r1 = a.acquire(key, sharedLongLived());
        LockLease r2 = b.acquire(key, sharedLongLived());
        BackgroundCall<LockLease> writer = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        assertThroughout(quietPeriod(), "the writer waits", () -> !writer.isDone());
        LockInfo info = a.getLockInfo(key);
        assertThat(info.holderCount()).as("a waiting writer is no holder").isEqualTo(2);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.remainingTtl()).as("remaining TTL of the holders, not of the waiting writer")
                .isLessThanOrEqualTo(LONG_TTL.plus(granularity()));
        r1.release();
        assertThroughout(quietPeriod(), "the writer waits for the last reader", () -> !writer.isDone());
        long released = System.nanoTime();
        r2.release();
        LockLease w = writer.result(CALL_DEADLINE);
        assertThat(Duration.ofNanos(writer.finishedNanos() - released)).isLessThan(HANDOFF_DEADLINE);
        assertThat(a.getLockInfo(key).type()).contains(LockType.EXCLUSIVE);
        w.release();
    }

    /**
     * A writer waiting behind a reader that crashed (stopped renewing) gets the key soon after
     * that reader's TTL runs out, even when another reader's release woke it in between.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void waitingWriterGetsTheKeySoonAfterACrashedReaderExpires() throws Exception {
        DistributedLock crashed = newClient();
        DistributedLock alive = newClient();
        DistributedLock writerClient = newClient();
        DistributedLock probe = newClient();
        String key = randomKey();
        Duration ttl = shortTtl().multipliedBy(3);
        long start = System.nanoTime();
        crashed.acquire(key, LockOptions.builder().ttl(ttl).autoRenew(false).lockType(LockType.SHARED).build());
        LockLease other = alive.acquire(key, sharedLongLived());
        BackgroundCall<LockLease> writer = inBackground(() -> writerClient.acquire(key, waitingAtMost(CALL_DEADLINE)));
        await(CALL_DEADLINE).until(() -> probe.tryAcquire(key, sharedLongLived()).map(LockLease::release).isEmpty());
        other.release();
        LockLease w = writer.result(CALL_DEADLINE);
        assertThat(Duration.ofNanos(writer.finishedNanos() - start)).isLessThan(expiryDeadline(ttl));
        w.release();
    }

    /**
     * Readers that arrive while a writer waits queue behind the writer, and get the key after it.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void readersArrivingBehindAWaitingWriterWaitForIt() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease first = a.acquire(key, sharedLongLived());
        BackgroundCall<LockLease> writer = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        await(CALL_DEADLINE).until(() -> c.tryAcquire(key, sharedLongLived()).map(LockLease::release).isEmpty());
        BackgroundCall<LockLease> lateReader = inBackground(() -> c.acquire(key, sharedWaitingAtMost(CALL_DEADLINE)));
        assertThroughout(quietPeriod(), "writer and late reader wait", () -> !writer.isDone() && !lateReader.isDone());

        first.release();
        LockLease w = writer.result(CALL_DEADLINE);
        assertThroughout(quietPeriod(), "the late reader waits while the writer holds", () -> !lateReader.isDone());
        long released = System.nanoTime();
        w.release();
        LockLease r = lateReader.result(CALL_DEADLINE);
        assertThat(Duration.ofNanos(lateReader.finishedNanos() - released)).isLessThan(HANDOFF_DEADLINE);
        assertThat(r.fencingToken()).isGreaterThan(w.fencingToken());
        r.release();
    }

    /**
     * A writer is not starved: while readers keep taking and releasing overlapping shared locks,
     * a writer waiting in {@code acquire} gets the key within a deadline, and no reader holds
     * while it does.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void writerIsNotStarvedByOverlappingReaders() throws Exception {
        List<DistributedLock> readerClients = List.of(newClient(), newClient());
        DistributedLock writerClient = newClient();
        String key = randomKey();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger readersInside = new AtomicInteger();
        AtomicBoolean writerInside = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong readerRounds = new AtomicLong();
        AtomicInteger maxReadersTogether = new AtomicInteger();
        List<BackgroundCall<Void>> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DistributedLock client = readerClients.get(i % readerClients.size());
            readers.add(inBackground(() -> {
                while (!stop.get()) {
                    LockLease lease = client.acquire(key, sharedWaitingAtMost(CALL_DEADLINE));
                    try {
                        maxReadersTogether.accumulateAndGet(readersInside.incrementAndGet(), Math::max);
                        if (writerInside.get()) {
                            overlaps.incrementAndGet();
                        }
                        // Simulated work inside the read lock, so that the readers overlap.
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(15));
                        readersInside.decrementAndGet();
                    } finally {
                        lease.release();
                    }
                    readerRounds.incrementAndGet();
                }
                return null;
            }));
        }
        await(CALL_DEADLINE).until(() -> readerRounds.get() >= 20 && maxReadersTogether.get() >= 2);

        long start = System.nanoTime();
        LockLease w = writerClient.acquire(key, waitingAtMost(CALL_DEADLINE));
        Duration waited = since(start);
        writerInside.set(true);
        try {
            assertThat(waited).as("the writer got the key despite the readers").isLessThan(HANDOFF_DEADLINE.multipliedBy(2));
            assertThat(readersInside.get()).as("readers inside while the writer holds").isZero();
            LockInfo info = writerClient.getLockInfo(key);
            assertThat(info.holderCount()).isEqualTo(1);
            assertThat(info.type()).contains(LockType.EXCLUSIVE);
            assertThroughout(quietPeriod(), "no reader holds while the writer does", () -> readersInside.get() == 0);
        } finally {
            writerInside.set(false);
            w.release();
        }
        long roundsAfterWriter = readerRounds.get();
        await(CALL_DEADLINE).until(() -> readerRounds.get() > roundsAfterWriter + 4);
        stop.set(true);
        for (BackgroundCall<Void> r : readers) {
            r.result(CALL_DEADLINE);
        }
        assertThat(overlaps.get()).as("readers that held together with the writer").isZero();
    }

    /**
     * A writer that timed out waiting leaves nothing behind: new readers get the key at once.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void timedOutWriterLeavesNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease reader = a.acquire(key, sharedLongLived());
        BackgroundCall<LockLease> writer = inBackground(() -> b.acquire(key, waitingAtMost(quietPeriod())));
        assertThat(writer.failure(CALL_DEADLINE)).isInstanceOf(LockAcquisitionTimeoutException.class);

        LockLease late = c.tryAcquire(key, sharedLongLived()).orElseThrow(
                () -> new AssertionError("a new reader was refused after the waiting writer gave up"));
        reader.release();
        late.release();
        assertThroughout(quietPeriod(), "the timed-out writer did not take the key later", () -> !c.isLocked(key));
    }

    /**
     * A writer interrupted while waiting leaves nothing behind: new readers get the key at once.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void interruptedWriterLeavesNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease reader = a.acquire(key, sharedLongLived());
        BackgroundCall<LockLease> writer = inBackground(() -> b.acquire(key, waitingAtMost(CALL_DEADLINE)));
        await(CALL_DEADLINE).until(() -> c.tryAcquire(key, sharedLongLived()).map(LockLease::release).isEmpty());
        writer.interrupt();
        assertThat(writer.failure(CALL_DEADLINE)).isInstanceOf(InterruptedException.class);

        LockLease late = c.tryAcquire(key, sharedLongLived()).orElseThrow(
                () -> new AssertionError("a new reader was refused after the waiting writer was interrupted"));
        reader.release();
        late.release();
        assertThroughout(quietPeriod(), "the interrupted writer did not take the key later", () -> !c.isLocked(key));
    }
}
