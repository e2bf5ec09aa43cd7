package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.metrics.MicrometerLockMetrics;
import io.github.distlock.spring.actuate.DistlockEndpoint;
import io.github.distlock.spring.integration.DistlockLockRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A whole Spring Boot 4 application with every auto-configuration on the classpath: the
 * starter's are found through its {@code AutoConfiguration.imports}, and fit with Boot's metrics,
 * health and endpoint support.
 */
class DistlockApplicationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Jobs.Application.class)
    static class Application {
    }

    @Test
    void theStartersAutoConfigurationsFitIntoAWholeApplication() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties("distlock.uri=mem:app-" + UUID.randomUUID(), "spring.main.banner-mode=off",
                        "management.endpoints.web.exposure.include=health,distlock")
                .run()) {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(AopUtils.isAopProxy(jobs)).isTrue();
            assertThat(jobs.byName(1)).isEqualTo("invoice-1");
            assertThat(context.getBean(MeterRegistry.class).get(MicrometerLockMetrics.ACQUIRED).counter().count()).isEqualTo(1);
            assertThat(context.getBean(DistlockEndpoint.class).heldLocks().backend()).isEqualTo("mem");
            assertThat(context.getBean(LockRegistry.class)).isInstanceOf(DistlockLockRegistry.class);
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("distlock").getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBeansOfType(DistributedLock.class)).hasSize(1);
        }
    }
}
