package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Acquire, release, refuse, shared locks, fencing, waking and TTLs, for both strategies, on one node. */
class EtcdLockBasicsIT {

    // 500 ms election timeout: the minimum lease TTL is 1 s.
    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());
    @RegisterExtension
    static final ClassResource<Client> RAW = ClassResource.of(() -> EtcdTestSupport.rawClient(SERVER.get().endpoint()));

    private DistributedLock a;
    private DistributedLock b;
    private String prefix;

    void open(EtcdLockStrategy strategy) {
        prefix = EtcdTestSupport.uniquePrefix();
        a = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, prefix);
        b = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, prefix);
    }

    @AfterEach
    void close() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (prefix != null) {
            assertThat(EtcdTestSupport.keysUnder(RAW.get(), prefix)).as("keys left after both clients closed").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void exclusiveLockIsGrantedRefusedAndReleased(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease lease = a.tryAcquire("orders/42").orElseThrow();
        assertThat(lease.isHeld()).isTrue();
        assertThat(b.tryAcquire("orders/42")).isEmpty();
        assertThat(b.isLocked("orders/42")).isTrue();
        assertThat(a.tryAcquire("orders/43")).isPresent();

        assertThat(lease.release()).isTrue();
        assertThat(b.isLocked("orders/42")).isFalse();
        try (LockLease second = b.tryAcquire("orders/42").orElseThrow()) {
            assertThat(second.fencingToken()).isGreaterThan(lease.fencingToken());
        }
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void releaseIsOwnerChecked(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease first = a.tryAcquire("k").orElseThrow();
        assertThat(first.release()).isTrue();
        LockLease second = b.tryAcquire("k").orElseThrow();
        assertThat(first.release()).as("a second release of a stale lease").isFalse();
        assertThat(b.isLocked("k")).isTrue();
        second.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void sharedLocksCoexistAndExcludeWriters(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockOptions shared = LockOptions.builder().lockType(LockType.SHARED).build();
        LockLease r1 = a.tryAcquire("doc", shared).orElseThrow();
        LockLease r2 = b.tryAcquire("doc", shared).orElseThrow();
        assertThat(b.tryAcquire("doc")).as("writer while readers hold").isEmpty();

        LockInfo info = a.getLockInfo("doc");
        assertThat(info.held()).isTrue();
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.holderCount()).isEqualTo(2);

        r1.release();
        r2.release();
        LockLease w = b.tryAcquire("doc").orElseThrow();
        assertThat(a.tryAcquire("doc", shared)).as("reader while a writer holds").isEmpty();
        assertThat(a.getLockInfo("doc").type()).contains(LockType.EXCLUSIVE);
        assertThat(w.fencingToken()).isGreaterThan(Math.max(r1.fencingToken(), r2.fencingToken()));
        w.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void waitingWriterIsNotStarvedByNewReaders(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockOptions shared = LockOptions.builder().lockType(LockType.SHARED).build();
        LockLease reader = a.tryAcquire("doc", shared).orElseThrow();
        CompletableFuture<LockLease> writer = b.acquireAsync("doc",
                LockOptions.builder().waitTimeout(Duration.ofSeconds(20)).build());
        // Once the writer queued, a new reader must wait behind it.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !EtcdTestSupport
                .keysUnder(RAW.get(), prefix).stream().filter(k -> !k.contains("/r/")).toList().isEmpty());
        assertThat(a.tryAcquire("doc", shared)).as("a new reader behind a waiting writer").isEmpty();
        assertThat(writer).isNotDone();
        reader.release();
        LockLease w = writer.get(10, TimeUnit.SECONDS);
        assertThat(w.fencingToken()).isGreaterThan(reader.fencingToken());
        w.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void waiterWakesOnRelease(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease held = a.acquire("hot");
        CompletableFuture<LockLease> waiter = b.acquireAsync("hot",
                LockOptions.builder().waitTimeout(Duration.ofSeconds(30)).build());
        assertThat(waiter).isNotDone();
        long released = System.nanoTime();
        held.release();
        LockLease next = waiter.get(3, TimeUnit.SECONDS);
        long handOffMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
        assertThat(handOffMs).as("hand-off is driven by the watch, far below the 5 s re-check").isLessThan(2000);
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void timedOutWaiterLeavesNothingBehind(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease held = a.acquire("k");
        assertThatThrownBy(() -> b.acquire("k", LockOptions.builder().waitTimeout(Duration.ofMillis(300)).build()))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> EtcdTestSupport.keysUnder(RAW.get(), prefix).size() == 1);
        assertThat(b.tryAcquire("k")).isEmpty();
        assertThat(EtcdTestSupport.keysUnder(RAW.get(), prefix)).hasSize(1);
        held.release();
        assertThat(b.tryAcquire("k")).isPresent();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void explicitTtlIsRoundedUpAndExpires(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockOptions ttl = LockOptions.builder().ttl(Duration.ofMillis(1200)).autoRenew(false).build();
        LockLease lease = a.tryAcquire("ttl", ttl).orElseThrow();
        assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(2));
        LockInfo info = b.getLockInfo("ttl");
        assertThat(info.remainingTtl()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        // Expiry deletes the key, so a waiter is woken by the watch.
        LockLease next = b.acquire("ttl", LockOptions.builder().waitTimeout(Duration.ofSeconds(10)).build());
        assertThat(lease.isHeld()).isFalse();
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        next.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void ttlBelowOneSecondIsRejected(EtcdLockStrategy strategy) {
        open(strategy);
        assertThatThrownBy(() -> a.tryAcquire("k", LockOptions.builder().ttl(Duration.ofMillis(999)).build()))
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining("ttl")
                .hasMessageContaining("PT1S");
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void watchdogKeepsTheLockAcrossSeveralTtls(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        // 2 s, the testkit's watchdogTtl() for etcd: with the 1 s minimum a renewal must land
        // within ~600 ms, which a machine at load 8 (two benchmarks beside the build) missed once.
        LockLease lease = a.acquire("watched", LockOptions.builder().ttl(Duration.ofSeconds(2)).build());
        // Two TTLs long, checked every 250 ms: held by a, refused to b, throughout.
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> lease.isHeld() && b.tryAcquire("watched").isEmpty());
        assertThat(lease.lost().toCompletableFuture()).isNotDone();
        lease.release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void renewWithAnotherTtlMovesTheLockToAMatchingLease(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease lease = a.tryAcquire("r", LockOptions.builder().ttl(Duration.ofSeconds(2)).autoRenew(false).build())
                .orElseThrow();
        long token = lease.fencingToken();
        lease.renew(Duration.ofSeconds(30));
        assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.getLockInfo("r").remainingTtl()).isGreaterThan(Duration.ofSeconds(20));
        assertThat(b.getLockInfo("r").fencingToken()).isEqualTo(token);
        lease.renew();
        assertThat(lease.release()).isTrue();
        Optional<LockLease> again = b.tryAcquire("r");
        assertThat(again).isPresent();
        again.get().release();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void listsHeldLocksByKeyPrefix(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockOptions shared = LockOptions.builder().lockType(LockType.SHARED).build();
        LockLease x = a.acquire("jobs/x");
        LockLease y1 = a.acquire("jobs/y", shared);
        LockLease y2 = b.acquire("jobs/y", shared);
        LockLease other = b.acquire("jobsx");
        CompletableFuture<LockLease> waiter = b.acquireAsync("jobs/x", LockOptions.builder()
                .waitTimeout(Duration.ofSeconds(20)).build());

        java.util.List<LockInfo> jobs = b.listLocks("jobs/", 10);
        assertThat(jobs).extracting(LockInfo::key).containsExactly("jobs/x", "jobs/y");
        assertThat(jobs.get(0).type()).contains(LockType.EXCLUSIVE);
        assertThat(jobs.get(0).fencingToken()).isEqualTo(x.fencingToken());
        assertThat(jobs.get(1).type()).contains(LockType.SHARED);
        assertThat(jobs.get(1).holderCount()).isEqualTo(2);
        assertThat(jobs.get(1).remainingTtl()).isPositive();
        assertThat(a.listLocks("", 100)).hasSize(3);
        assertThat(a.listLocks("", 1)).hasSize(1);

        x.release();
        waiter.get(10, TimeUnit.SECONDS).release();
        y1.release();
        y2.release();
        other.release();
        assertThat(a.listLocks("", 100)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void borrowedClientStaysOpenAndNamespaceIsApplied() throws Exception {
        prefix = EtcdTestSupport.uniquePrefix();
        try (Client borrowed = Client.builder().endpoints(SERVER.get().endpoint())
                .namespace(io.etcd.jetcd.ByteSequence.from("tenant-a", java.nio.charset.StandardCharsets.UTF_8))
                .build()) {
            DistributedLock locks = io.github.distlock.DistributedLocks.create(EtcdLockBackend.builder()
                    .client(borrowed).strategy(EtcdLockStrategy.MUTEX).keyPrefix(prefix).build());
            LockLease lease = locks.acquire("ns");
            assertThat(EtcdTestSupport.keysUnder(RAW.get(), "tenant-a" + prefix)).hasSize(1);
            assertThat(EtcdTestSupport.keysUnder(RAW.get(), prefix)).isEmpty();
            lease.release();
            locks.close();
            // Still usable: the backend did not close the borrowed client.
            borrowed.getKVClient().get(io.etcd.jetcd.ByteSequence.from("x", java.nio.charset.StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS);
        }
    }
}
