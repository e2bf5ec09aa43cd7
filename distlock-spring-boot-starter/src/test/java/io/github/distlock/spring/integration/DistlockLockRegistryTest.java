package io.github.distlock.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.spring.autoconfigure.DistlockAutoConfiguration;
import io.github.distlock.spring.autoconfigure.DistlockIntegrationAutoConfiguration;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/** Spring Integration's LockRegistry over the DistributedLock bean, on the mem: backend. */
class DistlockLockRegistryTest {

    private final String uri = "mem:registry-" + UUID.randomUUID();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class, DistlockIntegrationAutoConfiguration.class))
            .withPropertyValues("distlock.uri=" + uri);

    @Test
    void obtainedLocksAreDistributedLocks() {
        runner.run(context -> {
            @SuppressWarnings("unchecked")
            LockRegistry<Lock> registry = context.getBean(LockRegistry.class);
            assertThat(registry).isInstanceOf(DistlockLockRegistry.class);
            try (DistributedLock otherInstance = DistributedLocks.open(uri)) {
                Lock lock = registry.obtain("orders");
                lock.lock();
                try {
                    assertThat(otherInstance.isLocked("orders")).isTrue();
                    assertThat(otherInstance.tryLock("orders")).isFalse();
                    assertThat(registry.obtain("orders").tryLock()).as("reentrant per thread").isTrue();
                    registry.obtain("orders").unlock();
                    ((DistlockLockRegistry) registry).renewLock("orders", Duration.ofSeconds(40));
                    assertThat(context.getBean(DistributedLock.class).currentLease("orders").orElseThrow().ttl())
                            .isEqualTo(Duration.ofSeconds(40));
                    CompletableFuture<Boolean> fromAnotherThread = CompletableFuture.supplyAsync(() -> {
                        try {
                            return registry.obtain("orders").tryLock(10, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    assertThat(fromAnotherThread.get()).isFalse();
                    assertThatThrownBy(() -> CompletableFuture.runAsync(() -> registry.obtain("orders").unlock()).join())
                            .hasCauseInstanceOf(IllegalMonitorStateException.class);
                } finally {
                    lock.unlock();
                }
                assertThat(otherInstance.isLocked("orders")).isFalse();
                String result = registry.executeLocked("report", () -> String.valueOf(otherInstance.isLocked("report")));
                assertThat(result).isEqualTo("true");
            }
        });
    }

    @Test
    void anApplicationsOwnRegistryWinsAndWithoutSpringIntegrationThereIsNone() {
        runner.withBean(LockRegistry.class, DefaultLockRegistry::new)
                .run(context -> assertThat(context.getBean(LockRegistry.class)).isInstanceOf(DefaultLockRegistry.class));
        runner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DistlockLockRegistry.class));
    }
}
