package io.github.distlock.spring.autoconfigure;

import io.github.distlock.DistributedLock;
import io.github.distlock.spring.integration.DistlockLockRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} over the {@link DistributedLock} bean, when Spring
 * Integration is on the classpath and the application defines no {@code LockRegistry} itself.
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class)
@ConditionalOnClass(LockRegistry.class)
@ConditionalOnBean(DistributedLock.class)
public class DistlockIntegrationAutoConfiguration {

    /** Creates the configuration; Spring Boot calls it. */
    public DistlockIntegrationAutoConfiguration() {
    }

    /**
     * The registry.
     *
     * @param lock the client
     * @return the registry, with the client's default options
     */
    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    public DistlockLockRegistry distlockLockRegistry(DistributedLock lock) {
        return new DistlockLockRegistry(lock);
    }
}
