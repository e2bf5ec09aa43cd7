/**
 * Metrics for distlock clients: {@link io.github.distlock.metrics.MicrometerLockMetrics}, a
 * {@link io.github.distlock.LockEventListener} recording Micrometer meters. Needs
 * {@code io.micrometer:micrometer-core} on the classpath (an optional dependency of
 * distlock-core).
 */
package io.github.distlock.metrics;
