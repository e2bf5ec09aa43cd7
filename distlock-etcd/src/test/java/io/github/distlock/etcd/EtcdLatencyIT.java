package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sequential latency of one client on one node, next to the raw jetcd floor (txn create-if-absent
 * on a shared lease + delete). Prints the numbers; asserts only generous sanity bounds, since a
 * shared 2-core machine is noisy.
 */
class EtcdLatencyIT {

    private static final int CYCLES = 300;
    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(EtcdServer::start);

    @Test
    void uncontendedAndHandOffLatency() throws Exception {
        double raw = rawCeilingMicros();
        StringBuilder report = new StringBuilder("etcd latency, 1 thread, single node (us per lock+unlock cycle):\n");
        report.append(String.format("  raw jetcd txn+delete floor        p50 %8.0f%n", raw));
        for (EtcdLockStrategy strategy : EtcdLockStrategy.values()) {
            try (DistributedLock locks = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix());
                    DistributedLock other = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix())) {
                double[] session = cycles(locks, LockOptions.defaults());
                double[] explicit = cycles(locks, LockOptions.builder().ttl(Duration.ofSeconds(10)).autoRenew(false).build());
                report.append(String.format("  %-5s watchdog (session lease)     p50 %8.0f  p99 %8.0f%n", strategy,
                        session[0], session[1]));
                report.append(String.format("  %-5s explicit TTL (own lease)     p50 %8.0f  p99 %8.0f%n", strategy,
                        explicit[0], explicit[1]));
                assertThat(session[0]).isLessThan(50_000);
            }
            String prefix = EtcdTestSupport.uniquePrefix();
            EtcdLockBackend waiterBackend = EtcdTestSupport.backend(SERVER.get().endpoint(), strategy, prefix,
                    io.github.distlock.LockClientOptions.defaults());
            try (DistributedLock a = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, prefix);
                    DistributedLock b = io.github.distlock.DistributedLocks.create(waiterBackend)) {
                double[] handOff = handOff(a, b, waiterBackend);
                report.append(String.format("  %-5s hand-off release->waiter     p50 %8.0f  p99 %8.0f%n", strategy,
                        handOff[0], handOff[1]));
                assertThat(handOff[0]).isLessThan(500_000);
            }
        }
        report.append("etcd throughput, 8 threads, random keys, 2 s each (lock+unlock cycles/s):\n");
        report.append(String.format("  raw jetcd txn+delete, shared lease    %8.0f%n", rawThroughput(false)));
        report.append(String.format("  raw jetcd grant+txn+revoke per lock   %8.0f%n", rawThroughput(true)));
        for (EtcdLockStrategy strategy : EtcdLockStrategy.values()) {
            try (DistributedLock locks = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix())) {
                report.append(String.format("  %-5s watchdog (session lease)         %8.0f%n", strategy,
                        throughput(locks, LockOptions.defaults())));
                report.append(String.format("  %-5s explicit TTL (pooled own lease)  %8.0f%n", strategy,
                        throughput(locks, LockOptions.builder().ttl(Duration.ofSeconds(10)).autoRenew(false).build())));
            }
        }
        report.append("etcd throughput, 8 threads, one hot key, 2 s each (lock+unlock cycles/s):\n");
        report.append(String.format("  jetcd Lock RPC, one lease per thread  %8.0f%n", jetcdLockHotKey()));
        for (EtcdLockStrategy strategy : EtcdLockStrategy.values()) {
            try (DistributedLock locks = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix())) {
                LockOptions wait = LockOptions.builder().waitTimeout(Duration.ofSeconds(30)).build();
                double hot = run(() -> locks.acquire("hot", wait).release());
                report.append(String.format("  %-5s watchdog (session lease)         %8.0f%n", strategy, hot));
                assertThat(hot).isPositive();
            }
        }
        System.out.print(report);
    }

    private static double jetcdLockHotKey() throws Exception {
        try (Client client = Client.builder().endpoints(SERVER.get().endpoint()).build()) {
            // One lease per thread: locking twice with the same lease is a no-op, so a shared lease
            // would measure no contention at all.
            ThreadLocal<Long> lease = ThreadLocal.withInitial(() -> {
                try {
                    return client.getLeaseClient().grant(30).get().getID();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteSequence name = ByteSequence.from("/jetcd-hot", StandardCharsets.UTF_8);
            return run(() -> {
                ByteSequence key = client.getLockClient().lock(name, lease.get()).get(30, TimeUnit.SECONDS).getKey();
                client.getLockClient().unlock(key).get(30, TimeUnit.SECONDS);
            });
        }
    }

    private static final int THREADS = 8;
    private static final Duration RUN = Duration.ofSeconds(2);

    private static double throughput(DistributedLock locks, LockOptions options) throws Exception {
        return run(() -> {
            String key = "tp-" + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000);
            locks.acquire(key, options).release();
        });
    }

    private static double rawThroughput(boolean leasePerLock) throws Exception {
        try (Client client = Client.builder().endpoints(SERVER.get().endpoint()).build()) {
            long shared = client.getLeaseClient().grant(30).get().getID();
            ByteSequence value = ByteSequence.from("owner", StandardCharsets.UTF_8);
            return run(() -> {
                ByteSequence key = ByteSequence.from("/raw-tp/" + java.util.concurrent.ThreadLocalRandom.current()
                        .nextInt(1_000_000), StandardCharsets.UTF_8);
                long lease = leasePerLock ? client.getLeaseClient().grant(10).get().getID() : shared;
                client.getKVClient().txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(key, value, PutOption.builder().withLeaseId(lease).build()))
                        .Else(Op.get(key, GetOption.DEFAULT)).commit().get();
                if (leasePerLock) {
                    client.getLeaseClient().revoke(lease).get();
                } else {
                    client.getKVClient().txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(value)))
                            .Then(Op.delete(key, DeleteOption.DEFAULT)).commit().get();
                }
            });
        }
    }

    interface Cycle {
        void run() throws Exception;
    }

    private static double run(Cycle cycle) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        long end = System.nanoTime() + RUN.toNanos();
        try {
            java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                work.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        cycle.run();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : work) {
                f.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get() / (double) RUN.toSeconds();
    }

    private static double[] cycles(DistributedLock locks, LockOptions options) throws Exception {
        for (int i = 0; i < 30; i++) {
            locks.acquire("warm-" + i, options).release();
        }
        long[] us = new long[CYCLES];
        for (int i = 0; i < CYCLES; i++) {
            long t = System.nanoTime();
            LockLease lease = locks.acquire("cycle-" + i, options);
            lease.release();
            us[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
        }
        return percentiles(us);
    }

    private static double[] handOff(DistributedLock a, DistributedLock b, EtcdLockBackend waiterBackend) throws Exception {
        int rounds = 40;
        long[] us = new long[rounds];
        LockOptions wait = LockOptions.builder().waitTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < rounds; i++) {
            LockLease held = a.acquire("hand-off");
            CompletableFuture<LockLease> waiter = b.acquireAsync("hand-off", wait);
            org.awaitility.Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(5)).until(() -> waiterBackend.armedNotifications() >= 1);
            long t = System.nanoTime();
            held.release();
            LockLease next = waiter.get(10, TimeUnit.SECONDS);
            us[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
            next.release();
        }
        return percentiles(us);
    }

    private static double rawCeilingMicros() throws Exception {
        try (Client client = Client.builder().endpoints(SERVER.get().endpoint()).build()) {
            long lease = client.getLeaseClient().grant(30).get().getID();
            ByteSequence value = ByteSequence.from("owner", StandardCharsets.UTF_8);
            long[] us = new long[CYCLES];
            for (int i = 0; i < CYCLES + 30; i++) {
                ByteSequence key = ByteSequence.from("/raw/" + i, StandardCharsets.UTF_8);
                long t = System.nanoTime();
                client.getKVClient().txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(key, value, PutOption.builder().withLeaseId(lease).build()))
                        .Else(Op.get(key, GetOption.DEFAULT)).commit().get();
                client.getKVClient().txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(value)))
                        .Then(Op.delete(key, DeleteOption.DEFAULT)).commit().get();
                if (i >= 30) {
                    us[i - 30] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
                }
            }
            return percentiles(us)[0];
        }
    }

    private static double[] percentiles(long[] us) {
        long[] sorted = us.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]};
    }
}
