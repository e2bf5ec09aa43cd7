package io.github.distlock.spi;

import io.github.distlock.LockClientOptions;
import java.util.Set;

/**
 * Creates backends from URIs; found with {@link java.util.ServiceLoader}, so that
 * {@link io.github.distlock.DistributedLocks#open(String)} can pick a backend by URI scheme
 * while the core depends on none. Register an implementation in
 * {@code META-INF/services/io.github.distlock.spi.LockBackendProvider}.
 */
public interface LockBackendProvider {

    /** @return the URI schemes handled, lower case, for example {@code redis} and {@code rediss} */
    Set<String> schemes();

    /**
     * Opens a backend.
     *
     * @param uri the full URI; may contain credentials, which must never appear in messages
     * @param options the client options (for example the operation timeout)
     * @return a new backend that the caller owns and closes
     * @throws io.github.distlock.LockConfigurationException if the URI is malformed
     */
    LockBackend open(String uri, LockClientOptions options);
}
