package io.github.distlock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.LockClientOptions;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The watchdog renews many leases with few batched calls: it runs against the in-memory
 * reference store through a pass-through that counts the calls the engine makes.
 */
class LeaseWatchdogTest {

    /** Forwards to the in-memory backend and counts what the engine sends. */
    static final class CountingBackend implements LockBackend {
        final InMemoryLockBackend delegate = new InMemoryLockBackend(new InMemoryLockStore(Clock.systemUTC()));
        final AtomicInteger renewAllCalls = new AtomicInteger();
        final AtomicLong renewedLocks = new AtomicLong();
        final AtomicInteger singleRenewCalls = new AtomicInteger();

        @Override public String name() { return "counting-mem"; }
        @Override public BackendLimits limits() { return delegate.limits(); }
        @Override public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest r) { return delegate.tryAcquire(r); }
        @Override public CompletableFuture<Boolean> release(LockClaim c) { return delegate.release(c); }
        @Override public CompletableFuture<LockInfo> inspect(String key) { return delegate.inspect(key); }
        @Override public void close() { }

        @Override
        public CompletableFuture<RenewResult> renew(RenewRequest r) {
            singleRenewCalls.incrementAndGet();
            return delegate.renew(r);
        }

        @Override
        public CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
            renewAllCalls.incrementAndGet();
            renewedLocks.addAndGet(requests.size());
            List<RenewResult> results = new ArrayList<>();
            for (RenewRequest r : requests) {
                results.add(delegate.renew(r).join());
            }
            return CompletableFuture.completedFuture(results);
        }
    }

    @Test
    void thousandsOfHeldLocksAreRenewedInAFewBatchesPerInterval() throws Exception {
        CountingBackend backend = new CountingBackend();
        Duration ttl = Duration.ofMillis(600);
        int locks = 2_000;
        try (DefaultDistributedLock client = new DefaultDistributedLock(backend, LockClientOptions.defaults(), true)) {
            List<LockLease> leases = new ArrayList<>();
            LockOptions options = LockOptions.builder().ttl(ttl).build();
            for (int i = 0; i < locks; i++) {
                leases.add(client.acquire("wd-" + i, options));
            }
            // A watchdog tick takes due leases out of its queue for a moment (acquiring 2,000 locks on
            // a loaded machine can outlast ttl/3), so every lease is tracked once no tick is running.
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.trackedLeases() == locks);
            // Wait until every lock was renewed at least three times.
            await().atMost(Duration.ofSeconds(20)).until(() -> backend.renewedLocks.get() >= 3L * locks);
            double intervals = (System.nanoTime() - start) / (double) (ttl.toNanos() / 3);
            int batches = backend.renewAllCalls.get();
            assertThat(leases).allMatch(LockLease::isHeld);
            assertThat(backend.singleRenewCalls.get()).isZero();
            // One interval is ttl/3; each batch holds at most LeaseWatchdog.MAX_BATCH leases.
            int minimumBatchesPerInterval = (locks + LeaseWatchdog.MAX_BATCH - 1) / LeaseWatchdog.MAX_BATCH;
            assertThat(batches / Math.max(1, intervals))
                    .as("renewAll calls per renewal interval (%d calls over %.1f intervals)", batches, intervals)
                    .isLessThanOrEqualTo(3.0 * minimumBatchesPerInterval);
        }
    }

    @Test
    void leaseIsMarkedLostWhenRenewalsStopBeingAccepted() throws Exception {
        CountingBackend backend = new CountingBackend();
        try (DefaultDistributedLock client = new DefaultDistributedLock(backend, LockClientOptions.defaults(), true)) {
            LockLease lease = client.acquire("gone", LockOptions.builder().ttl(Duration.ofMillis(300)).build());
            // Another owner cannot release it; simulate the store forgetting it by releasing with
            // the lease's own claim behind the engine's back.
            backend.delegate.release(((DefaultLockLease) lease).claim()).join();
            var loss = lease.lost().toCompletableFuture().get();
            assertThat(loss.reason()).isEqualTo(io.github.distlock.LostReason.NOT_OWNER);
            assertThat(lease.isHeld()).isFalse();
            assertThat(client.trackedLeases()).isZero();
        }
    }
}
