package io.github.distlock.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import io.github.distlock.spring.CurrentLease;
import io.github.distlock.spring.DistributedLocked;
import io.github.distlock.spring.IfLocked;
import io.github.distlock.spring.actuate.DistlockEndpoint;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The starter in a whole Spring Boot 3.5 application (every auto-configuration on the classpath,
 * AspectJ auto-proxying, actuator, Spring Integration 6.5) with Boot 3.5's Lettuce, on a real
 * redis-server.
 */
class SpringBoot3IT {

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    /** A bean with locked methods. */
    public static class Reports {
        @DistributedLocked(key = "'report-' + #day", waitTimeout = "0")
        public String report(String day) {
            return CurrentLease.get().orElseThrow().key();
        }

        @DistributedLocked(key = "'nightly'", waitTimeout = "0", ifLocked = IfLocked.SKIP)
        public String nightly() {
            return "ran";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        @Bean
        Reports reports() {
            return new Reports();
        }

        // The health indicator of docs/spring-boot.md for Spring Boot 3 (the starter's own is for Boot 4).
        @Bean
        HealthIndicator distlockHealthIndicator(DistributedLock lock) {
            return () -> {
                try {
                    lock.isLocked("distlock-health-probe");
                    return Health.up().withDetail("backend", lock.backendName())
                            .withDetail("heldLocks", lock.heldLeases().size()).build();
                } catch (RuntimeException e) {
                    return Health.down(e).build();
                }
            };
        }
    }

    @Test
    void theStarterWorksInASpringBoot35Application() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                        .web(WebApplicationType.NONE)
                        .properties("distlock.uri=" + SERVER.get().uri(), "distlock.prefix=boot3:", "spring.main.banner-mode=off",
                                "management.endpoints.web.exposure.include=health,distlock")
                        .run();
                DistributedLock otherInstance = DistributedLocks.open(SERVER.get().uri() + "?prefix=boot3%3A")) {
            assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
            assertThat(io.lettuce.core.LettuceVersion.getVersion()).startsWith("6.6.");

            Reports reports = context.getBean(Reports.class);
            assertThat(AopUtils.isAopProxy(reports)).isTrue();
            assertThat(reports.report("monday")).isEqualTo("report-monday");
            try (LockLease held = otherInstance.acquire("nightly"); LockLease day = otherInstance.acquire("report-friday")) {
                assertThat(reports.nightly()).isNull();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> reports.report("friday"))
                        .isInstanceOf(LockAcquisitionTimeoutException.class);
            }
            assertThat(reports.nightly()).isEqualTo("ran");

            DistributedLock lock = context.getBean(DistributedLock.class);
            try (LockLease held = lock.acquire("listed")) {
                DistlockEndpoint.HeldLocks listed = context.getBean(DistlockEndpoint.class).heldLocks();
                assertThat(listed.locks()).extracting(DistlockEndpoint.HeldLock::key).containsExactly("listed");
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(listed))
                        .startsWith("{\"backend\":\"redis\",\"count\":1,\"locks\":[{\"key\":\"listed\",\"type\":\"exclusive\",")
                        .contains("\"ttl\":\"PT30S\"", "\"held\":true");
                assertThat(otherInstance.isLocked("listed")).isTrue();
            }

            assertThat(context.getBean(MeterRegistry.class).get("distlock.acquire.acquired").tag("backend", "redis")
                    .counter().count()).isGreaterThanOrEqualTo(3);

            @SuppressWarnings("unchecked")
            LockRegistry registry = context.getBean(LockRegistry.class);
            Lock orders = registry.obtain("orders");
            orders.lock();
            try {
                assertThat(otherInstance.isLocked("orders")).isTrue();
            } finally {
                orders.unlock();
            }

            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("distlock").getStatus()).isEqualTo(Status.UP);
        }
    }
}
