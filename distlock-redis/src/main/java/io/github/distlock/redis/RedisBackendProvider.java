package io.github.distlock.redis;

import io.github.distlock.LockClientOptions;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.internal.Uris;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockBackendProvider;
import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens Redis URIs for {@code DistributedLocks.open}:
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/database][?timeout=5s&prefix=lock:]}</li>
 *   <li>{@code rediss://...}: the same over TLS</li>
 *   <li>{@code redis-sentinel://[[user]:password@]host:port[,host:port...][/database][?prefix=...]#masterName}</li>
 *   <li>{@code redis-cluster://[[user]:password@]host:port[,host:port...][?prefix=...]} and
 *       {@code rediss-cluster://...}: Redis Cluster, any nodes as seeds</li>
 * </ul>
 * The {@code prefix} query parameter sets the key prefix; everything else is Lettuce's URI syntax.
 */
public final class RedisBackendProvider implements LockBackendProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public RedisBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-sentinel", "redis-cluster", "rediss-cluster");
    }

    @Override
    public LockBackend open(String uri, LockClientOptions options) {
        String scheme = Uris.scheme(uri);
        String prefix = null;
        StringBuilder rest = new StringBuilder();
        int q = uri.indexOf('?');
        String base = uri;
        String fragment = "";
        int hash = uri.indexOf('#');
        if (hash >= 0) {
            fragment = uri.substring(hash);
            base = uri.substring(0, hash);
        }
        if (q >= 0 && (hash < 0 || q < hash)) {
            String query = base.substring(q + 1);
            base = base.substring(0, q);
            for (String param : query.split("&")) {
                if (param.startsWith("prefix=")) {
                    prefix = URLDecoder.decode(param.substring("prefix=".length()), StandardCharsets.UTF_8);
                } else if (!param.isEmpty()) {
                    checkOption(param, uri);
                    rest.append(rest.length() == 0 ? '?' : '&').append(param);
                }
            }
        }
        RedisLockBackend.Builder builder = RedisLockBackend.builder();
        if (!rest.toString().matches("(?i).*[?&]timeout=.*")) {
            // Without a timeout in the URI, the client's operation timeout bounds every command.
            builder.commandTimeout(options.operationTimeout());
        }
        if (prefix != null) {
            try {
                builder.keyPrefix(prefix);
            } catch (InvalidLockArgumentException e) {
                throw new LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': option prefix: "
                        + e.getMessage());
            }
        }
        try {
            if (scheme.endsWith("-cluster")) {
                builder.clusterUris(clusterSeeds(scheme.startsWith("rediss") ? "rediss" : "redis", base, rest.toString()));
            } else {
                if (!scheme.equals("redis-sentinel")) {
                    checkHostAndPort(base);
                }
                builder.redisUri(RedisURI.create(base + rest + fragment));
            }
        } catch (IllegalArgumentException e) {
            throw new LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': " + e.getMessage());
        }
        return builder.build();
    }

    private static final java.util.regex.Pattern HOST_PORT = java.util.regex.Pattern.compile(
            "(?:[^@/]*@)?([^:/@\\[\\]]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?(?:/[0-9]*)?");

    /** Lettuce's query options (matched ignoring case, as Lettuce does), besides distlock's {@code prefix}. */
    private static final Set<String> LETTUCE_OPTIONS = Set.of("timeout", "database", "db", "sentinelmasterid",
            "clientname", "libraryname", "libraryversion", "verifypeer");
    private static final java.util.regex.Pattern TIMEOUT = java.util.regex.Pattern.compile("[0-9]+(ns|us|ms|s|m|h|d)?");

    /**
     * Lettuce ignores options it does not know and timeouts it cannot read, so a typo such as
     * {@code ?timout=1s} or {@code ?timeout=1sec} would silently leave the default: reject them.
     */
    private static void checkOption(String param, String uri) {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? null : param.substring(eq + 1);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!LETTUCE_OPTIONS.contains(lower)) {
            throw new LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': unknown option '" + name
                    + "'; known options: prefix, timeout, database (or db), sentinelMasterId, clientName, libraryName,"
                    + " libraryVersion, verifyPeer");
        }
        if (value == null || value.isEmpty()) {
            throw new LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': option " + name
                    + " needs a value (" + name + "=...)");
        }
        if (lower.equals("timeout") && (!TIMEOUT.matcher(value).matches() || value.matches("0+[a-z]*"))) {
            throw new LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': option timeout must be"
                    + " a positive number with an optional unit ns, us, ms, s, m, h or d (such as 500ms or 5s), but was '"
                    + value + "'");
        }
    }

    /** Lettuce takes {@code host:notaport} for a host name; reject it here with a clear message. */
    private static void checkHostAndPort(String base) {
        String authority = base.substring(base.indexOf("://") + 3);
        if (authority.indexOf('@') != authority.lastIndexOf('@')) {
            throw new IllegalArgumentException("more than one '@': percent-encode an '@' in the user name or password"
                    + " as %40");
        }
        java.util.regex.Matcher m = HOST_PORT.matcher(authority);
        if (!m.matches() || (m.group(2) != null && Integer.parseInt(m.group(2)) > 65535)) {
            throw new IllegalArgumentException("expected [[user]:password@]host[:port][/database]");
        }
    }

    private static List<RedisURI> clusterSeeds(String scheme, String base, String query) {
        String authority = base.substring(base.indexOf("://") + 3);
        String userInfo = "";
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at + 1);
            authority = authority.substring(at + 1);
        }
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            authority = authority.substring(0, slash);
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String hostPort : authority.split(",")) {
            if (!hostPort.isBlank()) {
                checkHostAndPort(scheme + "://" + hostPort.trim());
                seeds.add(RedisURI.create(scheme + "://" + userInfo + hostPort.trim() + query));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no cluster nodes given");
        }
        return seeds;
    }
}
