package io.github.distlock.redis;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.server.RedisCluster;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance suite against a real 3-master Redis Cluster. */
class RedisClusterConformanceIT extends AbstractLockConformanceTest {

    private static RedisCluster cluster;
    private static String uri;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        uri = "redis-cluster://" + cluster.uris().stream().map(u -> u.substring("redis://".length()))
                .collect(Collectors.joining(","));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected LockBackendFixture fixture() {
        return new LockBackendFixture() {
            @Override
            public String backendName() {
                return "redis";
            }

            @Override
            public DistributedLock newClient(LockClientOptions options) {
                return DistributedLocks.open(uri, options);
            }

            @Override
            public Duration ttlGranularity() {
                return Duration.ofMillis(1);
            }
        };
    }
}
