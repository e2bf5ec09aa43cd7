package io.github.distlock.etcd;

import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole conformance suite, strategy MUTEX, against one real etcd (election timeout 500 ms: 1 s minimum lease). */
class EtcdMutexConformanceIT extends AbstractLockConformanceTest {

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());

    private static final LockBackendFixture FIXTURE =
            new EtcdConformanceFixture(() -> SERVER.get().endpoint(), EtcdLockStrategy.MUTEX);

    @Override
    protected LockBackendFixture fixture() {
        return FIXTURE;
    }
}
