package io.github.distlock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.spring.autoconfigure.DistlockActuatorAutoConfiguration;
import io.github.distlock.spring.autoconfigure.DistlockAutoConfiguration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The distlock endpoint and health indicator, on the mem: backend. */
class DistlockActuatorTest {

    private final String uri = "mem:actuator-" + UUID.randomUUID();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class, DistlockActuatorAutoConfiguration.class))
            .withPropertyValues("distlock.uri=" + uri);

    @Test
    void theEndpointListsTheLocksThisApplicationHoldsAndReadsAnyKey() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=distlock").run(context -> {
            DistributedLock lock = context.getBean(DistributedLock.class);
            DistlockEndpoint endpoint = context.getBean(DistlockEndpoint.class);
            assertThat(endpoint.heldLocks().locks()).isEmpty();
            try (LockLease a = lock.acquire("jobs/a"); LockLease b = lock.acquire("b", LockOptions.builder().shared().build());
                    DistributedLock other = DistributedLocks.open(uri); LockLease elsewhere = other.acquire("elsewhere")) {
                DistlockEndpoint.HeldLocks held = endpoint.heldLocks();
                assertThat(held.backend()).isEqualTo("mem");
                assertThat(held.count()).isEqualTo(2);
                assertThat(held.locks()).extracting(DistlockEndpoint.HeldLock::key).containsExactly("b", "jobs/a");
                DistlockEndpoint.HeldLock first = held.locks().get(0);
                assertThat(first.type()).isEqualTo("shared");
                assertThat(first.fencingToken()).isEqualTo(b.fencingToken());
                assertThat(first.ttl()).isEqualTo("PT30S");
                assertThat(first.expiresAt()).isEqualTo(b.expiresAt().toString());
                assertThat(first.held()).isTrue();

                DistlockEndpoint.KeyState state = endpoint.key(new String[] {"jobs", "a"});
                assertThat(state.key()).isEqualTo("jobs/a");
                assertThat(state.held()).isTrue();
                assertThat(state.type()).isEqualTo("exclusive");
                assertThat(state.holders()).isEqualTo(1);
                assertThat(state.fencingToken()).isEqualTo(a.fencingToken());
                assertThat(state.remainingTtlMs()).isPositive();
                assertThat(endpoint.key(new String[] {"elsewhere"}).held()).isTrue();
                assertThat(endpoint.key(new String[] {"free"})).satisfies(free -> {
                    assertThat(free.held()).isFalse();
                    assertThat(free.type()).isNull();
                    assertThat(free.remainingTtlMs()).isNull();
                });
            }
        });
    }

    @Test
    void theEndpointIsThereOnlyWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(DistlockEndpoint.class));
    }

    @Test
    void healthIsUpWithTheBackendAndTheNumberOfHeldLocks() {
        runner.run(context -> {
            DistlockHealthIndicator health = context.getBean(DistlockHealthIndicator.class);
            try (LockLease held = context.getBean(DistributedLock.class).acquire("k")) {
                Health result = health.health();
                assertThat(result.getStatus()).isEqualTo(Status.UP);
                assertThat(result.getDetails()).isEqualTo(Map.of("backend", "mem", "heldLocks", 1));
            }
        });
        runner.withPropertyValues("management.health.distlock.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DistlockHealthIndicator.class));
    }

    @Test
    void healthIsDownWhenTheClientFails() {
        runner.run(context -> {
            context.getBean(DistributedLock.class).close();
            Health result = context.getBean(DistlockHealthIndicator.class).health();
            assertThat(result.getStatus()).isEqualTo(Status.DOWN);
            assertThat(result.getDetails().get("error").toString()).contains("LockClosedException");
        });
    }
}
