package io.github.distlock.spring.autoconfigure;

import io.github.distlock.DistributedLock;
import io.github.distlock.spring.actuate.DistlockEndpoint;
import io.github.distlock.spring.actuate.DistlockHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support, when the application has {@code spring-boot-starter-actuator}: the
 * {@code distlock} endpoint, and (Spring Boot 4) the {@code distlock} health indicator, turned
 * off with {@code management.health.distlock.enabled=false}.
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(DistributedLock.class)
public class DistlockActuatorAutoConfiguration {

    /** Creates the configuration; Spring Boot calls it. */
    public DistlockActuatorAutoConfiguration() {
    }

    /**
     * The endpoint listing the held locks.
     *
     * @param lock the client
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public DistlockEndpoint distlockEndpoint(DistributedLock lock) {
        return new DistlockEndpoint(lock);
    }

    /** The health indicator, on Spring Boot 4's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("distlock")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "distlockHealthIndicator")
        DistlockHealthIndicator distlockHealthIndicator(DistributedLock lock) {
            return new DistlockHealthIndicator(lock);
        }
    }
}
