package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdCluster;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 3-node cluster: mutual exclusion under load, and the leader killed while locks are held and awaited. */
class EtcdClusterIT {

    private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(20);
    private static final LockClientOptions OPTIONS = LockClientOptions.builder()
            .operationTimeout(Duration.ofSeconds(3)).build();

    @RegisterExtension
    static final ClassResource<EtcdCluster> CLUSTER = ClassResource.of(
            () -> EtcdCluster.builder().size(3).electionTimeout(Duration.ofMillis(500)).start());

    private final List<DistributedLock> clients = new ArrayList<>();
    private String prefix;

    @AfterEach
    void heal() {
        clients.forEach(DistributedLock::close);
        clients.clear();
        for (EtcdServer node : CLUSTER.get().nodes()) {
            node.resume();
            if (!node.isRunning()) {
                node.restart();
            }
        }
        CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
    }

    private DistributedLock client(EtcdLockStrategy strategy) {
        DistributedLock c = EtcdTestSupport.open(CLUSTER.get().endpoints(), strategy, prefix, OPTIONS);
        clients.add(c);
        return c;
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void manyThreadsOnTwoClientsNeverOverlap(EtcdLockStrategy strategy) throws Exception {
        prefix = EtcdTestSupport.uniquePrefix();
        DistributedLock[] locks = {client(strategy), client(strategy)};
        int threads = 8;
        int rounds = 25;
        int[] counter = {0};
        long[] lastToken = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                DistributedLock lock = locks[t % 2];
                work.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        try (LockLease lease = lock.acquire("counter",
                                LockOptions.builder().waitTimeout(Duration.ofSeconds(60)).build())) {
                            if (inside.incrementAndGet() != 1 || lease.fencingToken() <= lastToken[0]) {
                                violations.incrementAndGet();
                            }
                            lastToken[0] = lease.fencingToken();
                            int read = counter[0];
                            Thread.yield();
                            counter[0] = read + 1;
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations.get()).isZero();
        assertThat(counter[0]).isEqualTo(threads * rounds);
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void killingTheLeaderWhileALockIsHeldAndAwaitedKeepsTheServiceGoing(EtcdLockStrategy strategy) throws Exception {
        prefix = EtcdTestSupport.uniquePrefix();
        DistributedLock holder = client(strategy);
        LockLease held = holder.acquire("job", LockOptions.builder().ttl(Duration.ofSeconds(5)).build());
        FencedResource resource = new FencedResource();
        resource.write(held.fencingToken());

        List<CompletableFuture<Long>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EtcdLockBackend backend = EtcdTestSupport.backend(CLUSTER.get().endpoints(), strategy, prefix, OPTIONS);
            DistributedLock c = io.github.distlock.DistributedLocks.create(backend, OPTIONS);
            clients.add(c);
            waiters.add(c.acquireAsync("job", LockOptions.builder().ttl(Duration.ofSeconds(5))
                    .waitTimeout(Duration.ofSeconds(60)).build()).thenApply(lease -> {
                        try {
                            resource.write(lease.fencingToken());
                            return lease.fencingToken();
                        } finally {
                            lease.release();
                        }
                    }));
            EtcdTestSupport.awaitArmed(backend, 1);
        }
        int killed = CLUSTER.get().killLeader();
        int leader = CLUSTER.get().awaitLeader(ELECTION_DEADLINE);
        assertThat(leader).isNotEqualTo(killed);

        // The holder still works with its token after the election, then lets go.
        if (held.isHeld()) {
            resource.write(held.fencingToken());
        }
        held.release();
        for (CompletableFuture<Long> w : waiters) {
            assertThat(w.get(60, TimeUnit.SECONDS)).isGreaterThan(held.fencingToken());
        }
        assertThat(resource.rejected()).as("writes with a stale fencing token").isZero();
        assertThat(resource.accepted()).isGreaterThanOrEqualTo(4);

        // A newcomer is served by the cluster with one member down.
        DistributedLock late = client(strategy);
        try (LockLease lease = late.tryAcquire("job").orElseThrow()) {
            assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
        }
    }

    /** A resource that accepts a write only with a token at least as large as every earlier one. */
    static final class FencedResource {
        private long highest;
        private int accepted;
        private int rejected;

        synchronized void write(long token) {
            if (token < highest) {
                rejected++;
                return;
            }
            highest = token;
            accepted++;
        }

        synchronized int accepted() {
            return accepted;
        }

        synchronized int rejected() {
            return rejected;
        }
    }
}
