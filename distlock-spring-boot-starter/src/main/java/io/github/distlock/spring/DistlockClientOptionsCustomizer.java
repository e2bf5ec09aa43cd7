package io.github.distlock.spring;

import io.github.distlock.LockClientOptions;

/**
 * Changes the {@link LockClientOptions} of the {@link io.github.distlock.DistributedLock} the
 * starter creates, after the {@code distlock.*} properties and the {@code LockEventListener}
 * beans were applied. Declare it as a bean; several are applied in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * DistlockClientOptionsCustomizer clock() {
 *     return options -> options.clockDriftFactor(0.02);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface DistlockClientOptionsCustomizer {

    /**
     * Changes the options being built.
     *
     * @param options the builder
     */
    void customize(LockClientOptions.Builder options);
}
