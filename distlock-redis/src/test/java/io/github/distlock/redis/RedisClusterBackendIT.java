package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisCluster;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis backend on a real 3-master Redis Cluster: keys spread over every master, sharded
 * pub/sub wake-ups in the key's slot, renewal batched per slot, listing across masters.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisClusterBackendIT {

    @RegisterExtension
    static final ClassResource<RedisCluster> CLUSTER = ClassResource.of(RedisCluster::start);

    static String clusterUri() {
        return "redis-cluster://" + CLUSTER.get().uris().stream().map(u -> u.substring("redis://".length()))
                .collect(Collectors.joining(","));
    }

    @Test
    void locksSpreadOverEveryMasterAndExcludeEachOther() throws Exception {
        try (DistributedLock a = DistributedLocks.open(clusterUri()); DistributedLock b = DistributedLocks.open(clusterUri())) {
            String run = UUID.randomUUID().toString();
            Set<Integer> masters = new HashSet<>();
            List<LockLease> leases = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = "c-" + run + "-" + i;
                leases.add(a.acquire(key));
                assertThat(b.tryAcquire(key)).isEmpty();
                masters.add(CLUSTER.get().masterForKey("lock:{" + key + "}").port());
            }
            assertThat(masters).hasSize(3);
            assertThat(a.listLocks("c-" + run, 100)).hasSize(30);
            long previous = 0;
            for (LockLease lease : leases) {
                assertThat(lease.release()).isTrue();
            }
            for (int i = 0; i < 5; i++) {
                try (LockLease lease = b.acquire("c-" + run + "-0")) {
                    assertThat(lease.fencingToken()).isGreaterThan(previous);
                    previous = lease.fencingToken();
                }
            }
        }
    }

    @Test
    void releaseWakesWaitersThroughShardedPubSubOnEveryMaster() throws Exception {
        try (DistributedLock holder = DistributedLocks.open(clusterUri());
                DistributedLock waiter = DistributedLocks.open(clusterUri())) {
            String run = UUID.randomUUID().toString();
            List<LockLease> held = new ArrayList<>();
            List<CompletableFuture<LockLease>> waits = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                held.add(holder.acquire("w-" + run + "-" + i));
            }
            for (int i = 0; i < 12; i++) {
                waits.add(waiter.acquireAsync("w-" + run + "-" + i, LockOptions.defaults()));
            }
            // Waiters are subscribed before their last look; a release cannot be missed.
            for (int i = 0; i < 12; i++) {
                assertThat(waits.get(i)).isNotDone();
            }
            held.forEach(LockLease::release);
            for (CompletableFuture<LockLease> w : waits) {
                // TTL is 30 s: only the notification explains a wake-up within seconds.
                w.get(10, TimeUnit.SECONDS).release();
            }
        }
    }

    @Test
    void watchdogRenewsLocksOnEveryMaster() throws Exception {
        try (DistributedLock locks = DistributedLocks.open(clusterUri()); DistributedLock other = DistributedLocks.open(clusterUri())) {
            String run = UUID.randomUUID().toString();
            LockOptions shortTtl = LockOptions.builder().ttl(Duration.ofMillis(600)).build();
            List<LockLease> leases = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                leases.add(locks.acquire("r-" + run + "-" + i, shortTtl));
            }
            // Several TTLs pass; every lock must still be held, as the other client sees it.
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5)).until(() -> true);
            for (LockLease lease : leases) {
                assertThat(lease.isHeld()).isTrue();
                LockInfo info = other.getLockInfo(lease.key());
                assertThat(info.held()).isTrue();
                assertThat(info.fencingToken()).isEqualTo(lease.fencingToken());
            }
            leases.forEach(LockLease::release);
        }
    }

    @Test
    void sharedLocksWorkOnCluster() throws Exception {
        try (DistributedLock a = DistributedLocks.open(clusterUri()); DistributedLock b = DistributedLocks.open(clusterUri())) {
            String key = "s-" + UUID.randomUUID();
            LockOptions shared = LockOptions.builder().shared().build();
            LockLease r1 = a.acquire(key, shared);
            LockLease r2 = b.acquire(key, shared);
            assertThat(a.getLockInfo(key).holderCount()).isEqualTo(2);
            assertThat(a.tryAcquire(key)).isEmpty();
            r1.release();
            r2.release();
            assertThat(a.tryAcquire(key)).isPresent();
        }
    }

    static RedisServer anyMaster() {
        return CLUSTER.get().masters().get(0);
    }
}
