package io.github.distlock.testkit;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import java.time.Duration;
import java.util.UUID;

/**
 * Runs the conformance suite against the in-memory backend: every client is a
 * {@code mem:NAME} client of one store, like processes sharing one server.
 */
class InMemoryConformanceTest extends AbstractLockConformanceTest {

    private static final String STORE = "conformance-" + UUID.randomUUID();

    private static final LockBackendFixture MEM = new LockBackendFixture() {
        @Override
        public String backendName() {
            return "mem";
        }

        @Override
        public DistributedLock newClient(LockClientOptions options) {
            return DistributedLocks.open("mem:" + STORE, options);
        }

        @Override
        public Duration ttlGranularity() {
            return Duration.ofMillis(1);
        }
    };

    @Override
    protected LockBackendFixture fixture() {
        return MEM;
    }
}
