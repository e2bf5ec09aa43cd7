package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.testkit.server.EtcdServer;
import io.github.distlock.testkit.server.RedisServer;
import io.netty.util.Version;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** jetcd (gRPC, Vert.x) and Lettuce share one classpath and one Netty line. */
class EtcdAndRedisInOneJvmIT {

    @Test
    void bothBackendsWorkSideBySideOnOneNettyVersion() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(); RedisServer redis = RedisServer.start();
                DistributedLock onEtcd = DistributedLocks.open("etcd://127.0.0.1:" + etcd.clientPort() + "?strategy=mutex");
                DistributedLock onRedis = DistributedLocks.open(redis.uri())) {
            assertThat(DistributedLocks.availableSchemes()).contains("etcd", "etcds", "redis", "mem");
            try (LockLease e = onEtcd.acquire("shared-name"); LockLease r = onRedis.acquire("shared-name")) {
                assertThat(e.isHeld()).isTrue();
                assertThat(r.isHeld()).isTrue();
                assertThat(onEtcd.tryAcquire("shared-name")).isEmpty();
                assertThat(onRedis.tryAcquire("shared-name")).isEmpty();
            }
            assertThat(onEtcd.isLocked("shared-name")).isFalse();
            assertThat(onRedis.isLocked("shared-name")).isFalse();
        }
        Map<String, Version> netty = Version.identify();
        Set<String> versions = netty.values().stream().map(Version::artifactVersion).collect(Collectors.toSet());
        assertThat(versions).as("Netty artifacts on the classpath: " + netty.keySet()).hasSize(1);
        assertThat(versions.iterator().next()).startsWith("4.1.");
    }
}
