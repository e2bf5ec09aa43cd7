package io.github.distlock.spring.autoconfigure;

import io.github.distlock.metrics.MicrometerLockMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Records the starter's client's metrics ({@code distlock.*} meters, see
 * {@link MicrometerLockMetrics}) in the application's {@link MeterRegistry}, unless
 * {@code distlock.metrics.enabled=false}. The meters carry the lock key as a tag only with
 * {@code distlock.metrics.key-tags=true}.
 */
@AutoConfiguration(before = DistlockAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "distlock.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DistlockProperties.class)
public class DistlockMetricsAutoConfiguration {

    /** Creates the configuration; Spring Boot calls it. */
    public DistlockMetricsAutoConfiguration() {
    }

    /**
     * The listener that records the metrics; the starter's client picks it up with the other
     * {@code LockEventListener} beans.
     *
     * @param registry the application's meter registry
     * @param properties the {@code distlock.*} properties
     * @return the listener
     */
    @Bean
    @ConditionalOnMissingBean
    public MicrometerLockMetrics distlockMetrics(MeterRegistry registry, DistlockProperties properties) {
        return MicrometerLockMetrics.builder(registry).keyTags(properties.getMetrics().isKeyTags()).build();
    }
}
