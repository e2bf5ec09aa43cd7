package io.github.distlock.etcd;

import io.github.distlock.testkit.AbstractLockConformanceTest;
import io.github.distlock.testkit.LockBackendFixture;
import io.github.distlock.testkit.server.EtcdCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance suite, strategy TXN, against a real 3-node etcd cluster (clients use every endpoint). */
class EtcdClusterTxnConformanceIT extends AbstractLockConformanceTest {

    private static EtcdCluster cluster;

    private static final LockBackendFixture FIXTURE =
            new EtcdConformanceFixture(() -> cluster.endpoints(), EtcdLockStrategy.TXN);

    @BeforeAll
    static void startCluster() {
        cluster = EtcdCluster.builder().size(3).electionTimeout(Duration.ofMillis(500)).start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected LockBackendFixture fixture() {
        return FIXTURE;
    }
}
