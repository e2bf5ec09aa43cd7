package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import io.github.distlock.metrics.MicrometerLockMetrics;
import io.github.distlock.spring.actuate.DistlockEndpoint;
import io.github.distlock.spring.actuate.DistlockHealthIndicator;
import io.github.distlock.spring.autoconfigure.DistlockActuatorAutoConfiguration;
import io.github.distlock.spring.autoconfigure.DistlockAutoConfiguration;
import io.github.distlock.spring.autoconfigure.DistlockIntegrationAutoConfiguration;
import io.github.distlock.spring.autoconfigure.DistlockMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The starter against a real store: two application contexts on one server play two instances
 * of an application. Subclasses start one server for the class.
 */
abstract class AbstractStarterIT {

    /** Each test uses its own prefix, so tests of one class never see each other's locks. */
    private final String prefix = prefix(UUID.randomUUID().toString().substring(0, 8));

    /** @return the store's URI */
    abstract String uri();

    /** @return the backend's name */
    abstract String backend();

    /**
     * @param id a unique id
     * @return a key prefix in the backend's style
     */
    abstract String prefix(String id);

    /**
     * @param prefix a key prefix
     * @param key a lock key
     * @return whether the store has the lock's key under that prefix, read with the server's own tool
     */
    abstract boolean storeHasLockKey(String prefix, String key);

    /** Stops the server from answering (SIGSTOP). */
    abstract void pauseServer();

    /** Lets it answer again. */
    abstract void resumeServer();

    /** @return a runner of one instance of the application, with the store's URI and this test's prefix */
    ApplicationContextRunner instance() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class,
                        DistlockMetricsAutoConfiguration.class, DistlockActuatorAutoConfiguration.class,
                        DistlockIntegrationAutoConfiguration.class))
                .withUserConfiguration(Jobs.Application.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("distlock.uri=" + uri(), "distlock.prefix=" + prefix,
                        "management.endpoints.web.exposure.include=health,distlock");
    }

    @Test
    void twoInstancesExcludeEachOtherThroughTheStore() {
        instance().run(a -> instance().run(b -> {
            Jobs jobsB = b.getBean(Jobs.class);
            DistributedLock lockA = a.getBean(DistributedLock.class);
            try (LockLease taken = lockA.acquire("busy")) {
                assertThat(storeHasLockKey(prefix, "busy")).isTrue();
                assertThat(jobsB.busySkip()).as("skipped while instance A holds the lock").isNull();
                assertThatThrownBy(jobsB::busyFailAtOnce).isInstanceOf(LockAcquisitionTimeoutException.class);
                assertThat(jobsB.runs()).isZero();
                DistlockEndpoint.KeyState seenByB = b.getBean(DistlockEndpoint.class).key(new String[] {"busy"});
                assertThat(seenByB.held()).isTrue();
                assertThat(seenByB.fencingToken()).isEqualTo(taken.fencingToken());
                assertThat(a.getBean(DistlockEndpoint.class).heldLocks().locks())
                        .extracting(DistlockEndpoint.HeldLock::key).containsExactly("busy");
                assertThat(b.getBean(DistlockEndpoint.class).heldLocks().locks()).isEmpty();
            }
            assertThat(jobsB.busySkip()).isEqualTo("ran");
            LockLease leaseInB = jobsB.held();
            assertThat(leaseInB.fencingToken()).as("a later grant of the key elsewhere has a larger token")
                    .isPositive();
            assertThat(lockA.isLocked("held")).isFalse();
            assertThat(storeHasLockKey(prefix, "busy")).isFalse();
        }));
    }

    @Test
    void keysAndOptionsComeThroughToTheStore() {
        instance().withPropertyValues("jobs.ttl=9s").run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.byName(42)).isEqualTo("invoice-42");
            assertThat(jobs.byBean("x")).isEqualTo("bean-x");
            Duration ttl = jobs.ttl();
            assertThat(ttl).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
            assertThat(jobs.nested(jobs, 2)).isEqualTo(2);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(MicrometerLockMetrics.ACQUIRED).tag("backend", backend()).counter().count())
                    .isGreaterThanOrEqualTo(4);
        });
    }

    @Test
    void lockRegistryLocksAreSharedBetweenInstances() {
        instance().run(a -> instance().run(b -> {
            @SuppressWarnings("unchecked")
            LockRegistry<Lock> registryA = a.getBean(LockRegistry.class);
            @SuppressWarnings("unchecked")
            LockRegistry<Lock> registryB = b.getBean(LockRegistry.class);
            Lock inA = registryA.obtain("orders");
            inA.lock();
            try {
                assertThat(registryB.obtain("orders").tryLock()).isFalse();
            } finally {
                inA.unlock();
            }
            Lock inB = registryB.obtain("orders");
            assertThat(inB.tryLock()).isTrue();
            inB.unlock();
        }));
    }

    @Test
    void healthFollowsTheStore() {
        instance().withPropertyValues("distlock.operation-timeout=1s").run(context -> {
            DistlockHealthIndicator health = context.getBean(DistlockHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("backend", backend());
            pauseServer();
            try {
                assertThat(health.health().getStatus()).as("paused store, 1s operation timeout").isEqualTo(Status.DOWN);
            } finally {
                resumeServer();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        });
    }
}
