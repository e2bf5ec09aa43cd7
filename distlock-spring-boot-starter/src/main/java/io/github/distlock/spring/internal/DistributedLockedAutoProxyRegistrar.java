package io.github.distlock.spring.internal;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an auto-proxy creator applies the {@code @DistributedLocked} advisor, as
 * {@code @EnableTransactionManagement} does for {@code @Transactional}: it registers Spring's
 * infrastructure auto-proxy creator unless a stronger one (Spring Boot's AspectJ-aware one) is
 * there, and proxies classes unless {@code spring.aop.proxy-target-class=false}.
 */
public final class DistributedLockedAutoProxyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private Environment environment;

    /** Creates the registrar; Spring calls it when importing the configuration. */
    public DistributedLockedAutoProxyRegistrar() {
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        if (environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
            AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
        }
    }
}
