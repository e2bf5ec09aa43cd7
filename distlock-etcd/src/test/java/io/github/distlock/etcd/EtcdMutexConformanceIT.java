package io.github.distlock.etcd;

import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance suite, strategy MUTEX, against one real etcd (election timeout 500 ms: 1 s minimum lease). */
class EtcdMutexConformanceIT extends AbstractLockConformanceTest {

    private static EtcdServer server;

    private static final LockBackendFixture FIXTURE =
            new EtcdConformanceFixture(() -> server.endpoint(), EtcdLockStrategy.MUTEX);

    @BeforeAll
    static void startServer() {
        server = EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected LockBackendFixture fixture() {
        return FIXTURE;
    }
}
