package io.github.distlock.spring.autoconfigure;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.LockEventListener;
import io.github.distlock.LockOptions;
import io.github.distlock.spring.DistlockClientOptionsCustomizer;
import io.github.distlock.spring.internal.BackendUris;
import io.github.distlock.spring.internal.DistributedLockedAutoProxyRegistrar;
import io.github.distlock.spring.internal.DistributedLockedInterceptor;
import io.github.distlock.spring.internal.DistributedLockedPointcut;
import io.github.distlock.spring.internal.LockedMethods;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The starter's {@link DistributedLock} bean, opened from the {@code distlock.*} properties
 * ({@link DistlockProperties}) unless the application defines its own, and the
 * {@link io.github.distlock.spring.DistributedLocked @DistributedLocked} advice, which uses
 * whichever {@code DistributedLock} bean there is. The client gets every {@link LockEventListener}
 * bean of the application, and then the changes of every {@link DistlockClientOptionsCustomizer}.
 */
@AutoConfiguration
@EnableConfigurationProperties(DistlockProperties.class)
public class DistlockAutoConfiguration {

    /**
     * Order of the {@code @DistributedLocked} advice when {@code distlock.aop.order} is not set:
     * before (outside) advice of the default order such as {@code @Transactional}, so that the
     * lock is taken before a transaction begins and released after it commits.
     */
    public static final int DEFAULT_ADVICE_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

    /** Creates the configuration; Spring Boot calls it. */
    public DistlockAutoConfiguration() {
    }

    /**
     * Opens the client of the store named by {@code distlock.uri}.
     *
     * @param properties the {@code distlock.*} properties
     * @param listeners the application's {@link LockEventListener} beans (metrics among them), in order
     * @param customizers changes to the client options, in order
     * @return the client; closed with the application context
     * @throws LockConfigurationException if {@code distlock.uri} is missing or wrong
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public DistributedLock distributedLock(DistlockProperties properties, ObjectProvider<LockEventListener> listeners,
            ObjectProvider<DistlockClientOptionsCustomizer> customizers) {
        String uri = BackendUris.of(properties.getUri(), properties.getPrefix());
        LockClientOptions.Builder options = clientOptions(properties);
        listeners.orderedStream().forEach(options::eventListener);
        customizers.orderedStream().forEach(c -> c.customize(options));
        return DistributedLocks.open(uri, options.build());
    }

    static LockClientOptions.Builder clientOptions(DistlockProperties properties) {
        LockOptions.Builder lock = LockOptions.builder();
        property("distlock.default-ttl", () -> lock.ttl(properties.getDefaultTtl()));
        lock.autoRenew(properties.isAutoRenew());
        if (properties.getWaitTimeout() != null) {
            property("distlock.wait-timeout", () -> lock.waitTimeout(properties.getWaitTimeout()));
        }
        LockClientOptions.Builder client = LockClientOptions.builder().defaultLockOptions(lock.build());
        property("distlock.operation-timeout", () -> client.operationTimeout(properties.getOperationTimeout()));
        return client;
    }

    private static void property(String name, Runnable apply) {
        try {
            apply.run();
        } catch (InvalidLockArgumentException e) {
            throw new LockConfigurationException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code @DistributedLocked} advice, and an auto-proxy creator to apply it.
     */
    @Configuration(proxyBeanMethods = false)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @Import(DistributedLockedAutoProxyRegistrar.class)
    static class DistributedLockedConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static Advisor distributedLockedAdvisor(ObjectProvider<DistributedLock> lock,
                ConfigurableListableBeanFactory beanFactory, Environment environment) {
            LockedMethods methods = new LockedMethods(beanFactory);
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new DistributedLockedPointcut(methods),
                    new DistributedLockedInterceptor(methods, lock, beanFactory));
            advisor.setOrder(environment.getProperty("distlock.aop.order", Integer.class, DEFAULT_ADVICE_ORDER));
            return advisor;
        }
    }
}
