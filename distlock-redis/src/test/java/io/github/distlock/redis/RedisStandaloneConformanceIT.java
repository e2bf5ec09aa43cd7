package io.github.distlock.redis;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole conformance suite against one real redis-server; every client is its own connection. */
class RedisStandaloneConformanceIT extends AbstractLockConformanceTest {

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    @Override
    protected LockBackendFixture fixture() {
        return new LockBackendFixture() {
            @Override
            public String backendName() {
                return "redis";
            }

            @Override
            public DistributedLock newClient(LockClientOptions options) {
                return DistributedLocks.open(SERVER.get().uri(), options);
            }

            @Override
            public Duration ttlGranularity() {
                return Duration.ofMillis(1);
            }
        };
    }
}
