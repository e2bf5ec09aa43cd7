package io.github.distlock.spring.internal;

import io.github.distlock.LockConfigurationException;
import io.github.distlock.internal.Uris;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The store URI from {@code distlock.uri} and {@code distlock.prefix}.
 */
public final class BackendUris {

    private BackendUris() {
    }

    /**
     * Returns the URI to open: {@code uri} with {@code prefix} added as its {@code prefix} option.
     *
     * @param uri {@code distlock.uri}
     * @param prefix {@code distlock.prefix}, or {@code null}
     * @return the URI
     * @throws LockConfigurationException if the URI is missing, or the prefix cannot be added
     */
    public static String of(String uri, String prefix) {
        if (uri == null || uri.isBlank()) {
            throw new LockConfigurationException("distlock.uri is not set: set it to the lock store, for example "
                    + "redis://localhost:6379 or etcd://localhost:2379 (mem: keeps the locks inside this JVM), "
                    + "or define a DistributedLock bean of your own");
        }
        String trimmed = uri.trim();
        if (prefix == null) {
            return trimmed;
        }
        if (prefix.isEmpty()) {
            throw new LockConfigurationException("distlock.prefix must not be empty; leave it unset for the backend's default");
        }
        String scheme = Uris.scheme(trimmed);
        if (scheme.equals("mem")) {
            throw new LockConfigurationException("distlock.prefix is not supported by the mem: backend (uri '"
                    + Uris.redact(trimmed) + "'); use a store name instead, as in mem:my-app");
        }
        int hash = trimmed.indexOf('#');
        String body = hash >= 0 ? trimmed.substring(0, hash) : trimmed;
        String fragment = hash >= 0 ? trimmed.substring(hash) : "";
        int query = body.indexOf('?');
        if (query >= 0 && ("&" + body.substring(query + 1)).contains("&prefix=")) {
            throw new LockConfigurationException("distlock.prefix is set and distlock.uri has a prefix option too ('"
                    + Uris.redact(trimmed) + "'): set the prefix in one place");
        }
        String encoded = URLEncoder.encode(prefix, StandardCharsets.UTF_8).replace("+", "%20");
        return body + (query >= 0 ? "&" : "?") + "prefix=" + encoded + fragment;
    }
}
