package io.github.distlock.redis;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance suite against one real redis-server; every client is its own connection. */
class RedisStandaloneConformanceIT extends AbstractLockConformanceTest {

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
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
                return DistributedLocks.open(server.uri(), options);
            }

            @Override
            public Duration ttlGranularity() {
                return Duration.ofMillis(1);
            }
        };
    }
}
