package io.github.distlock.etcd;

import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdCluster;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole conformance suite, strategy TXN, against a real 3-node etcd cluster (clients use every endpoint). */
class EtcdClusterTxnConformanceIT extends AbstractLockConformanceTest {

    @RegisterExtension
    static final ClassResource<EtcdCluster> CLUSTER = ClassResource.of(
            () -> EtcdCluster.builder().size(3).electionTimeout(Duration.ofMillis(500)).start());

    private static final LockBackendFixture FIXTURE =
            new EtcdConformanceFixture(() -> CLUSTER.get().endpoints(), EtcdLockStrategy.TXN);

    @Override
    protected LockBackendFixture fixture() {
        return FIXTURE;
    }
}
