package io.github.distlock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockAcquiredEvent;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.LockEvent;
import io.github.distlock.LockEventListener;
import io.github.distlock.LockOptions;
import io.github.distlock.metrics.MicrometerLockMetrics;
import io.github.distlock.spring.DistlockClientOptionsCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The DistributedLock bean from distlock.* properties, on the mem: backend. */
class DistlockAutoConfigurationTest {

    private static final AutoConfigurations ALL = AutoConfigurations.of(DistlockAutoConfiguration.class,
            DistlockMetricsAutoConfiguration.class, DistlockActuatorAutoConfiguration.class,
            DistlockIntegrationAutoConfiguration.class);

    private final String uri = "mem:autoconf-" + UUID.randomUUID();
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL);

    @Test
    void withoutAUriTheStartFailsSayingWhatToSet() {
        runner.run(context -> assertThat(startupFailure(context)).isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("distlock.uri is not set").hasMessageContaining("redis://localhost:6379")
                .hasMessageContaining("or define a DistributedLock bean"));
    }

    @Test
    void defaultsAreTheLibrarysDefaults() {
        runner.withPropertyValues("distlock.uri=" + uri).run(context -> {
            DistributedLock lock = context.getBean(DistributedLock.class);
            assertThat(lock.backendName()).isEqualTo("mem");
            assertThat(lock.defaultOptions()).isEqualTo(LockOptions.defaults());
        });
    }

    @Test
    void propertiesSetTheClientOptions() {
        AtomicReference<Duration> operationTimeout = new AtomicReference<>();
        runner.withPropertyValues("distlock.uri=" + uri, "distlock.default-ttl=12s", "distlock.wait-timeout=750ms",
                        "distlock.auto-renew=false", "distlock.operation-timeout=2s")
                .withBean(DistlockClientOptionsCustomizer.class,
                        () -> options -> operationTimeout.set(options.build().operationTimeout()))
                .run(context -> {
                    LockOptions options = context.getBean(DistributedLock.class).defaultOptions();
                    assertThat(options.ttl()).isEqualTo(Duration.ofSeconds(12));
                    assertThat(options.waitTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(options.autoRenew()).isFalse();
                    assertThat(operationTimeout).hasValue(Duration.ofSeconds(2));
                });
    }

    @Test
    void aBadValueFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("distlock.uri=" + uri, "distlock.default-ttl=0s").run(context ->
                assertThat(startupFailure(context)).isInstanceOf(LockConfigurationException.class)
                        .hasMessageStartingWith("distlock.default-ttl: ").hasMessageContaining("PT0S"));
        runner.withPropertyValues("distlock.uri=" + uri, "distlock.operation-timeout=-1s").run(context ->
                assertThat(startupFailure(context)).hasMessageStartingWith("distlock.operation-timeout: "));
        runner.withPropertyValues("distlock.uri=nosuch://x").run(context ->
                assertThat(startupFailure(context)).isInstanceOf(LockConfigurationException.class)
                        .hasMessageContaining("no distlock backend handles scheme 'nosuch'"));
        runner.withPropertyValues("distlock.uri=" + uri, "distlock.prefix=app:").run(context ->
                assertThat(startupFailure(context)).hasMessageContaining("distlock.prefix is not supported by the mem: backend"));
    }

    @Test
    void anApplicationsOwnDistributedLockWins() {
        try (DistributedLock own = DistributedLocks.open(uri)) {
            runner.withBean("myLock", DistributedLock.class, () -> own, d -> d.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasSingleBean(DistributedLock.class);
                        assertThat(context.getBean(DistributedLock.class)).isSameAs(own);
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenersAndCustomizers {
        static final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        LockEventListener recordingListener() {
            return event -> calls.add(event.getClass().getSimpleName() + " " + key(event));
        }

        private static String key(LockEvent event) {
            return event instanceof LockAcquiredEvent acquired ? acquired.key() : "";
        }

        @Bean
        @Order(2)
        DistlockClientOptionsCustomizer second() {
            return options -> calls.add("customizer 2");
        }

        @Bean
        @Order(1)
        DistlockClientOptionsCustomizer first() {
            return options -> calls.add("customizer 1");
        }
    }

    @Test
    void listenerBeansGetTheClientsEventsAndCustomizersRunInOrder() {
        ListenersAndCustomizers.calls.clear();
        runner.withPropertyValues("distlock.uri=" + uri).withUserConfiguration(ListenersAndCustomizers.class)
                .run(context -> {
                    DistributedLock lock = context.getBean(DistributedLock.class);
                    lock.acquire("k").release();
                    assertThat(ListenersAndCustomizers.calls).startsWith("customizer 1", "customizer 2")
                            .contains("LockAcquiredEvent k");
                });
    }

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        ApplicationContextRunner withRegistry = runner.withPropertyValues("distlock.uri=" + uri)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
        withRegistry.run(context -> {
            context.getBean(DistributedLock.class).acquire("metered").release();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(MicrometerLockMetrics.ACQUIRED).tag("backend", "mem").counter().count()).isEqualTo(1);
            assertThat(registry.find(MicrometerLockMetrics.ACQUIRED).tagKeys("key").counter()).isNull();
        });
        withRegistry.withPropertyValues("distlock.metrics.key-tags=true").run(context -> {
            context.getBean(DistributedLock.class).acquire("metered").release();
            assertThat(context.getBean(MeterRegistry.class).get(MicrometerLockMetrics.ACQUIRED).tag("key", "metered")
                    .counter().count()).isEqualTo(1);
        });
        withRegistry.withPropertyValues("distlock.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerLockMetrics.class));
        runner.withPropertyValues("distlock.uri=" + uri)
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerLockMetrics.class));
    }

    @Test
    void theStarterNeedsNeitherMicrometerNorActuatorNorSpringIntegration() {
        runner.withPropertyValues("distlock.uri=" + uri)
                .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate",
                        "org.springframework.boot.health", "org.springframework.integration"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DistributedLock.class);
                    assertThat(context.getBeanNamesForType(DistributedLock.class)).containsExactly("distributedLock");
                    assertThat(context.getBeanDefinitionNames()).noneMatch(name -> name.startsWith("distlockMetrics")
                            || name.startsWith("distlockEndpoint") || name.startsWith("distlockLockRegistry")
                            || name.startsWith("distlockHealth"));
                });
    }

    @Test
    void configurationMetadataIsGenerated() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String property : List.of("distlock.uri", "distlock.prefix", "distlock.default-ttl", "distlock.wait-timeout",
                "distlock.auto-renew", "distlock.operation-timeout", "distlock.metrics.enabled",
                "distlock.metrics.key-tags", "distlock.aop.order", "management.health.distlock.enabled")) {
            assertThat(json).contains("\"name\": \"" + property + "\"");
        }
        assertThat(json).contains("\"defaultValue\": \"30s\"");
    }

    private static Throwable startupFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (cause.getCause() != null && !(cause instanceof LockConfigurationException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
