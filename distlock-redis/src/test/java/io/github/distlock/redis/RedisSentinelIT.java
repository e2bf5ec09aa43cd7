package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.testkit.server.RedisSentinelGroup;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis backend through Sentinel: it finds the master, and keeps working after a
 * sentinel-driven failover. Fencing tokens stay increasing across the failover because they are
 * floored by the new master's clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisSentinelIT {

    @Test
    void locksKeepWorkingAfterAFailoverAndTokensKeepIncreasing() throws Exception {
        try (RedisSentinelGroup group = RedisSentinelGroup.start();
                DistributedLock a = DistributedLocks.open(group.sentinelUri());
                DistributedLock b = DistributedLocks.open(group.sentinelUri())) {
            String key = "sentinel-" + UUID.randomUUID();
            long before;
            try (LockLease lease = a.acquire(key)) {
                before = lease.fencingToken();
                assertThat(b.tryAcquire(key)).isEmpty();
            }
            RedisServer oldMaster = group.master();
            RedisServer newMaster = group.failover();
            assertThat(newMaster.port()).isNotEqualTo(oldMaster.port());
            // The clients follow the new master (Lettuce reconnects through the sentinels).
            Optional<LockLease> after = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> a.tryAcquire(key), Optional::isPresent);
            assertThat(after.get().fencingToken()).isGreaterThan(before);
            assertThat(newMaster.command("EXISTS", "lock:{" + key + "}")).isEqualTo("1");
            Optional<LockLease> refused = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> b.tryAcquire(key), o -> true);
            assertThat(refused).isEmpty();
            assertThat(after.get().release()).isTrue();
            assertThat(b.tryAcquire(key)).isPresent();
        }
    }
}
