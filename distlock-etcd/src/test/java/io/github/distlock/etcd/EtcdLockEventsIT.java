package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LostReason;
import io.github.distlock.testkit.LockEventsScenario;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lock events of an etcd client (TXN strategy), against a real etcd of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdLockEventsIT {

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());
    @RegisterExtension
    static final ClassResource<Client> RAW = ClassResource.of(() -> EtcdTestSupport.rawClient(SERVER.get().endpoint()));

    @Test
    void waitsRenewalsAndLossAreReported() throws Exception {
        LockEventsScenario scenario = new LockEventsScenario("etcd");
        String prefix = EtcdTestSupport.uniquePrefix();
        try (DistributedLock observed = scenario.observe(LockClientOptions.defaults(),
                o -> EtcdTestSupport.open(SERVER.get().endpoint(), EtcdLockStrategy.TXN, prefix, o));
                DistributedLock other = EtcdTestSupport.open(SERVER.get().endpoint(), EtcdLockStrategy.TXN, prefix)) {
            scenario.waitIsReportedUntilAnotherClientReleases(observed, other);
            scenario.renewalsAndLossAreReported(observed, Duration.ofSeconds(3), () -> revokeLeases(prefix),
                    Set.of(LostReason.NOT_OWNER, LostReason.SESSION_ENDED));
        }
    }

    /** Revokes the leases of every key under {@code prefix}: the lock keys go with them. */
    private static void revokeLeases(String prefix) {
        try {
            ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
            Set<Long> leases = new TreeSet<>();
            for (KeyValue kv : RAW.get().getKVClient().get(p, GetOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS).getKvs()) {
                if (kv.getLease() != 0) {
                    leases.add(kv.getLease());
                }
            }
            assertThat(leases).as("leases under %s", prefix).isNotEmpty();
            for (long lease : leases) {
                RAW.get().getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("could not revoke the etcd leases", e);
        }
    }
}
