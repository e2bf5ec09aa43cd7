package io.github.distlock.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code distlock.*} properties of the starter's {@link io.github.distlock.DistributedLock}.
 *
 * <pre>
 * distlock.uri=redis://localhost:6379
 * distlock.prefix=billing:lock:
 * distlock.default-ttl=30s
 * distlock.wait-timeout=10s
 * </pre>
 */
@ConfigurationProperties("distlock")
public class DistlockProperties {

    /**
     * URI of the lock store: redis://host:6379, rediss://..., redis-sentinel://...,
     * redis-cluster://..., etcd://host:2379, etcds://..., or mem: (this JVM only). Needs the
     * backend's module (distlock-redis, distlock-etcd) on the classpath.
     */
    private String uri;

    /**
     * Key prefix in the store, so that applications sharing a store keep their locks apart; the
     * backend's 'prefix' URI option (Redis default 'lock:', etcd default '/distlock/'). Not
     * supported by mem:.
     */
    private String prefix;

    /**
     * TTL of locks taken without one. With auto-renew the watchdog renews a held lock every
     * third of it.
     */
    private Duration defaultTtl = Duration.ofSeconds(30);

    /** Whether the client's watchdog renews held locks until they are released. */
    private boolean autoRenew = true;

    /**
     * How long lock() and @DistributedLocked methods wait for a lock before giving up; unset:
     * until the lock is free.
     */
    private Duration waitTimeout;

    /** Deadline of every call to the store, connecting included. */
    private Duration operationTimeout = Duration.ofSeconds(5);

    /** Micrometer metrics of the client. */
    private final Metrics metrics = new Metrics();

    /** @return the store's URI */
    public String getUri() {
        return uri;
    }

    /** @param uri the store's URI */
    public void setUri(String uri) {
        this.uri = uri;
    }

    /** @return the key prefix in the store, or {@code null} for the backend's default */
    public String getPrefix() {
        return prefix;
    }

    /** @param prefix the key prefix in the store */
    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    /** @return the default TTL */
    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    /** @param defaultTtl the default TTL */
    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    /** @return whether held locks are renewed by the watchdog */
    public boolean isAutoRenew() {
        return autoRenew;
    }

    /** @param autoRenew whether held locks are renewed by the watchdog */
    public void setAutoRenew(boolean autoRenew) {
        this.autoRenew = autoRenew;
    }

    /** @return the default wait timeout, or {@code null} to wait until the lock is free */
    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    /** @param waitTimeout the default wait timeout */
    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    /** @return the deadline of every store call */
    public Duration getOperationTimeout() {
        return operationTimeout;
    }

    /** @param operationTimeout the deadline of every store call */
    public void setOperationTimeout(Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
    }

    /** @return the metrics settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** The {@code distlock.metrics.*} properties. */
    public static class Metrics {

        /** Whether to record the client's metrics (distlock.*) in the application's MeterRegistry. */
        private boolean enabled = true;

        /**
         * Whether meters are tagged with the lock key. Off by default: one time series per key can
         * overwhelm a metrics backend.
         */
        private boolean keyTags = false;

        /** @return whether metrics are recorded */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether metrics are recorded */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether meters carry the key as a tag */
        public boolean isKeyTags() {
            return keyTags;
        }

        /** @param keyTags whether meters carry the key as a tag */
        public void setKeyTags(boolean keyTags) {
            this.keyTags = keyTags;
        }
    }
}
