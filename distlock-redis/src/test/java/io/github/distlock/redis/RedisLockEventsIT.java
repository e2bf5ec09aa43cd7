package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LostReason;
import io.github.distlock.metrics.MicrometerLockMetrics;
import io.github.distlock.testkit.LockEventsScenario;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lock events and Micrometer metrics of a Redis client, against a real redis-server of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisLockEventsIT {

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    @Test
    void waitsRenewalsLossAndMetricsAreReported() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LockEventsScenario scenario = new LockEventsScenario("redis");
        LockClientOptions metrics = LockClientOptions.builder()
                .eventListener(MicrometerLockMetrics.builder(registry).build()).build();
        try (DistributedLock observed = scenario.observe(metrics, o -> DistributedLocks.open(SERVER.get().uri(), o));
                DistributedLock other = DistributedLocks.open(SERVER.get().uri())) {
            scenario.waitIsReportedUntilAnotherClientReleases(observed, other);
            // FLUSHALL drops the lock key: the next renewal finds another owner (none).
            scenario.renewalsAndLossAreReported(observed, Duration.ofMillis(900), () -> SERVER.get().command("FLUSHALL"),
                    Set.of(LostReason.NOT_OWNER));
        }
        assertThat(registry.get(MicrometerLockMetrics.ACQUIRE).tags("backend", "redis", "outcome", "acquired").timer()
                .count()).isEqualTo(2);
        assertThat(registry.get(MicrometerLockMetrics.WAIT).tags("backend", "redis", "outcome", "acquired").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get(MicrometerLockMetrics.LOST).tags("backend", "redis", "reason", "not_owner").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(MicrometerLockMetrics.RENEWALS).tags("outcome", "renewed").counter().count()).isPositive();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                registry.get(MicrometerLockMetrics.HELD).tags("backend", "redis").gauge().value()).isZero());
    }
}
