package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockOptions;
import io.github.distlock.LostReason;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A single etcd node that is paused (SIGSTOP) longer than the TTL of the locks on it. */
class EtcdServerFaultsIT {

    private static final LockClientOptions FAST = LockClientOptions.builder()
            .operationTimeout(Duration.ofSeconds(1)).build();

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());
    @RegisterExtension
    static final ClassResource<Client> RAW = ClassResource.of(() -> EtcdTestSupport.rawClient(SERVER.get().endpoint()));

    private DistributedLock a;
    private DistributedLock b;
    private EtcdLockBackend bBackend;
    private String prefix;

    void open(EtcdLockStrategy strategy) {
        prefix = EtcdTestSupport.uniquePrefix();
        a = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, prefix, FAST);
        bBackend = EtcdTestSupport.backend(SERVER.get().endpoint(), strategy, prefix, FAST);
        b = io.github.distlock.DistributedLocks.create(bBackend, FAST);
    }

    @AfterEach
    void close() {
        SERVER.get().resume();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void pausedServerLongerThanTheTtlMakesTheHolderSeeLostThenAnotherClientGetsTheLock(EtcdLockStrategy strategy)
            throws Exception {
        open(strategy);
        LockLease lease = a.acquire("job", LockOptions.builder().ttl(Duration.ofSeconds(2)).build());
        CompletableFuture<LockLoss> lost = lease.lost().toCompletableFuture();
        long pausedAt = System.nanoTime();
        SERVER.get().pause();
        try {
            LockLoss loss = lost.get(10, TimeUnit.SECONDS);
            long detectedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
            assertThat(loss.reason()).isIn(LostReason.RENEWAL_FAILED, LostReason.EXPIRED);
            assertThat(detectedAfterMs).as("lost no later than the TTL after the last renewal").isLessThan(2_500);
            assertThat(lease.isHeld()).isFalse();
            Thread.sleep(1_000); // the fault: keep the server frozen past the holder's TTL
        } finally {
            SERVER.get().resume();
        }
        LockLease next = b.acquire("job", LockOptions.builder().waitTimeout(Duration.ofSeconds(15)).build());
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        next.release();
        assertThat(lease.release()).as("releasing the lost lease does not touch the new holder").isFalse();
        assertThat(b.isLocked("job")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void callsToAPausedServerFailWithinTheTimeoutAndWaitersRideItOut(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease held = a.acquire("k", LockOptions.builder().ttl(Duration.ofSeconds(10)).build());
        CompletableFuture<LockLease> waiter = b.acquireAsync("k",
                LockOptions.builder().waitTimeout(Duration.ofSeconds(30)).build());
        EtcdTestSupport.awaitArmed(bBackend, 1);
        SERVER.get().pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> b.tryAcquire("other"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("etcd");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
            Thread.sleep(1_500); // the fault: the server stays frozen for a while
        } finally {
            SERVER.get().resume();
        }
        assertThat(waiter).isNotDone();
        held.release();
        LockLease next = waiter.get(15, TimeUnit.SECONDS);
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.release();
    }
}
