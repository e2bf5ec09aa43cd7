package io.github.distlock;

import io.github.distlock.internal.Arguments;
import io.github.distlock.internal.DefaultDistributedLock;
import io.github.distlock.internal.Uris;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockBackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens {@link DistributedLock} clients.
 *
 * <p>By URI, choosing the backend by scheme through {@link ServiceLoader} (add the backend's
 * module to the classpath): {@code mem:} (in-memory, this JVM only), {@code redis://},
 * {@code rediss://}, {@code redis-sentinel://} (module {@code distlock-redis}), {@code etcd://},
 * {@code etcds://} (module {@code distlock-etcd}).
 *
 * <pre>{@code
 * try (DistributedLock locks = DistributedLocks.open("mem:")) {
 *     try (LockLease lease = locks.acquire("invoice-42")) {
 *         // critical section
 *     }
 * }
 * }</pre>
 *
 * <p>Or over a backend object you built yourself, with {@link #create(LockBackend)}.
 */
public final class DistributedLocks {

    /** {@code host:port[,host:port...]}: a backend address someone forgot the scheme of. */
    private static final java.util.regex.Pattern HOST_AND_PORT =
            java.util.regex.Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*");

    private DistributedLocks() {
    }

    /**
     * Opens a client with default options.
     *
     * @param uri the backend URI, for example {@code mem:} or {@code redis://localhost:6379}
     * @return a new client; close it when done
     * @throws LockConfigurationException if no backend handles the scheme or the URI is malformed
     */
    public static DistributedLock open(String uri) {
        return open(uri, LockClientOptions.defaults());
    }

    /**
     * Opens a client.
     *
     * @param uri the backend URI
     * @param options client options
     * @return a new client; close it when done
     * @throws LockConfigurationException if no backend handles the scheme or the URI is malformed
     */
    public static DistributedLock open(String uri, LockClientOptions options) {
        Arguments.name("uri", uri);
        Arguments.notNull("options", options);
        String scheme = Uris.scheme(uri);
        Map<String, LockBackendProvider> providers = providers();
        LockBackendProvider provider = providers.get(scheme);
        if (provider == null) {
            throw new LockConfigurationException(unknownScheme(uri, scheme, providers.keySet()));
        }
        return new DefaultDistributedLock(provider.open(uri, options), options, true);
    }

    private static String unknownScheme(String uri, String scheme, java.util.Set<String> available) {
        String shown = Uris.redact(uri);
        if (scheme.isEmpty()) {
            return "uri must start with a scheme such as mem:, redis:// or etcd://, but was '" + shown + "'";
        }
        if (HOST_AND_PORT.matcher(uri).matches()) {
            return "uri '" + shown + "' has no scheme: it looks like host:port; write redis://" + shown + " or etcd://"
                    + shown + " (available schemes: " + available + ")";
        }
        return "no distlock backend handles scheme '" + scheme + "' (uri '" + shown + "'); available schemes: "
                + available + ". Add the backend module (distlock-redis, distlock-etcd) to the classpath.";
    }

    /**
     * Creates a client over a backend you built; closing the client closes the backend.
     *
     * @param backend the backend
     * @return a new client
     */
    public static DistributedLock create(LockBackend backend) {
        return create(backend, LockClientOptions.defaults());
    }

    /**
     * Creates a client over a backend you built; closing the client closes the backend.
     *
     * @param backend the backend
     * @param options client options
     * @return a new client
     */
    public static DistributedLock create(LockBackend backend, LockClientOptions options) {
        return new DefaultDistributedLock(backend, options, true);
    }

    /**
     * Lists the URI schemes of the backends on the classpath.
     *
     * @return the schemes, sorted
     */
    public static java.util.Set<String> availableSchemes() {
        return providers().keySet();
    }

    private static Map<String, LockBackendProvider> providers() {
        Map<String, LockBackendProvider> byScheme = new TreeMap<>();
        for (LockBackendProvider p : ServiceLoader.load(LockBackendProvider.class, DistributedLocks.class.getClassLoader())) {
            for (String s : p.schemes()) {
                byScheme.putIfAbsent(s, p);
            }
        }
        return byScheme;
    }
}
