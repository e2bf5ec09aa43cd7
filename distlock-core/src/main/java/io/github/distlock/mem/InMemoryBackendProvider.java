package io.github.distlock.mem;

import io.github.distlock.LockClientOptions;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockBackendProvider;
import java.util.Set;

/**
 * Opens {@code mem:} URIs: {@code mem:} is the JVM-wide store named {@code default},
 * {@code mem:NAME} the store named {@code NAME}. Clients opened on the same name share locks.
 */
public final class InMemoryBackendProvider implements LockBackendProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public InMemoryBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mem");
    }

    @Override
    public LockBackend open(String uri, LockClientOptions options) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (!rest.matches("[A-Za-z0-9._-]*")) {
            throw new LockConfigurationException("mem: store name may contain only letters, digits, '.', '_' and '-', but was '"
                    + rest + "' in uri '" + uri + "'");
        }
        String name = rest.isEmpty() ? "default" : rest;
        return new InMemoryLockBackend(InMemoryLockStore.named(name));
    }
}
