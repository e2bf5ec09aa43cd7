package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.ClientBuilder;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.etcd.EtcdLockStrategy;
import io.github.distlock.internal.Uris;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code etcd://} and {@code etcds://} URIs:
 *
 * <pre>
 * etcd[s]://[user:password@]host[:port][,host[:port]...][/][?option=value&amp;...]
 * </pre>
 *
 * Options: {@code strategy} ({@code txn} or {@code mutex}), {@code prefix} (key prefix, default
 * {@code /distlock/}), {@code namespace} (jetcd namespace), and for {@code etcds}: {@code cacert}
 * (PEM file of trusted CAs; the JVM's trust store when absent), {@code cert} and {@code key}
 * (client certificate chain and PKCS#8 private key, PEM), {@code authority} (TLS authority when
 * connecting by IP). Percent-encode reserved characters in the user name, password and values.
 * Every message shows the URI with its password masked.
 *
 * @param endpoints {@code http(s)://host:port} URLs
 * @param tls whether the scheme is {@code etcds}
 * @param user the user, or {@code null}
 * @param password the password, or {@code null}
 * @param strategy the strategy
 * @param prefix the key prefix
 * @param namespace the jetcd namespace, or {@code null}
 * @param caCert trusted CA file, or {@code null}
 * @param cert client certificate chain file, or {@code null}
 * @param key client key file, or {@code null}
 * @param authority TLS authority override, or {@code null}
 */
public record EtcdUri(List<String> endpoints, boolean tls, String user, String password, EtcdLockStrategy strategy,
        String prefix, String namespace, Path caCert, Path cert, Path key, String authority) {

    /** Default client port of etcd. */
    public static final int DEFAULT_PORT = 2379;
    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "/distlock/";

    private static final Set<String> OPTIONS = Set.of("strategy", "prefix", "namespace", "cacert", "cert", "key",
            "authority");

    /**
     * Never shows the password.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "EtcdUri{endpoints=" + endpoints + ", user=" + user + ", password=" + (password == null ? null : "***")
                + ", strategy=" + strategy + ", prefix='" + prefix + "'}";
    }

    /**
     * Parses a URI.
     *
     * @param uri the URI
     * @return the parsed settings
     * @throws LockConfigurationException if it is malformed; the message masks the password
     */
    public static EtcdUri parse(String uri) {
        String shown = Uris.redact(uri);
        String scheme = Uris.scheme(uri);
        if (!scheme.equals("etcd") && !scheme.equals("etcds")) {
            throw new LockConfigurationException("etcd uri must start with etcd:// or etcds://, but was '" + shown + "'");
        }
        boolean tls = scheme.equals("etcds");
        String rest = uri.substring(scheme.length() + 1);
        if (!rest.startsWith("//")) {
            throw new LockConfigurationException("etcd uri must have the form " + scheme + "://host:port, but was '"
                    + shown + "'");
        }
        rest = rest.substring(2);
        int q = rest.indexOf('?');
        String query = q >= 0 ? rest.substring(q + 1) : "";
        String authorityPart = q >= 0 ? rest.substring(0, q) : rest;
        int at = authorityPart.lastIndexOf('@');
        String userInfo = at >= 0 ? authorityPart.substring(0, at) : null;
        String hosts = at >= 0 ? authorityPart.substring(at + 1) : authorityPart;
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        if (hosts.contains("/")) {
            throw new LockConfigurationException("etcd uri must not have a path; use ?prefix= for the key prefix, but was '"
                    + shown + "'");
        }
        List<String> endpoints = endpoints(hosts, tls, shown);

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new LockConfigurationException("etcd uri has a user but no password (use user:password@), in '"
                        + shown + "'");
            }
            user = decode(userInfo.substring(0, colon), "user", shown);
            password = decode(userInfo.substring(colon + 1), "password", shown);
            if (user.isEmpty() || password.isEmpty()) {
                throw new LockConfigurationException("etcd uri user and password must not be empty, in '" + shown + "'");
            }
        }

        Map<String, String> options = options(query, shown);
        EtcdLockStrategy strategy = strategy(options.getOrDefault("strategy", "txn"), shown);
        String prefix = options.getOrDefault("prefix", DEFAULT_PREFIX);
        String namespace = options.get("namespace");
        Path caCert = file(options.get("cacert"), "cacert", shown);
        Path cert = file(options.get("cert"), "cert", shown);
        Path key = file(options.get("key"), "key", shown);
        if (!tls && (caCert != null || cert != null || key != null || options.containsKey("authority"))) {
            throw new LockConfigurationException("etcd uri options cacert, cert, key and authority need the etcds:// "
                    + "scheme (TLS), in '" + shown + "'");
        }
        if ((cert == null) != (key == null)) {
            throw new LockConfigurationException("etcd uri options cert and key must be given together (client "
                    + "certificate chain and its PKCS#8 key), in '" + shown + "'");
        }
        return new EtcdUri(List.copyOf(endpoints), tls, user, password, strategy, prefix, namespace, caCert, cert, key,
                options.get("authority"));
    }

    /**
     * Builds a jetcd client builder for these settings, tuned to fail fast.
     *
     * @param timeout the operation timeout (also the connect timeout)
     * @return the builder
     * @throws LockConfigurationException if the TLS files cannot be used
     */
    public ClientBuilder clientBuilder(Duration timeout) {
        ClientBuilder b = ClientFactory.forEndpoints(endpoints, timeout);
        if (user != null) {
            b.user(ByteSequence.from(user, StandardCharsets.UTF_8));
            b.password(ByteSequence.from(password, StandardCharsets.UTF_8));
        }
        if (namespace != null && !namespace.isEmpty()) {
            b.namespace(ByteSequence.from(namespace, StandardCharsets.UTF_8));
        }
        if (tls) {
            b.sslContext(sslContext());
            if (authority != null) {
                b.authority(authority);
            }
        }
        return b;
    }

    private SslContext sslContext() {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient();
            if (caCert != null) {
                ssl.trustManager(caCert.toFile());
            }
            if (cert != null) {
                ssl.keyManager(cert.toFile(), key.toFile());
            }
            return ssl.build();
        } catch (Exception | LinkageError e) {
            throw new LockConfigurationException("cannot set up TLS for etcd from cacert=" + caCert + ", cert=" + cert
                    + ", key=" + key + " (certificates must be PEM, the key PKCS#8 PEM): " + e.getMessage(), e);
        }
    }

    private static List<String> endpoints(String hosts, boolean tls, String shown) {
        if (hosts.isEmpty()) {
            throw new LockConfigurationException("etcd uri must name at least one host, but was '" + shown + "'");
        }
        List<String> out = new ArrayList<>();
        for (String h : hosts.split(",", -1)) {
            String host;
            int port = DEFAULT_PORT;
            if (h.startsWith("[")) {
                int close = h.indexOf(']');
                if (close < 0) {
                    throw new LockConfigurationException("etcd uri has a malformed IPv6 host '" + h + "' in '" + shown + "'");
                }
                host = h.substring(0, close + 1);
                String after = h.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new LockConfigurationException("etcd uri has a malformed host '" + h + "' in '" + shown + "'");
                    }
                    port = port(after.substring(1), h, shown);
                }
            } else {
                int colon = h.lastIndexOf(':');
                host = colon >= 0 ? h.substring(0, colon) : h;
                if (colon >= 0) {
                    port = port(h.substring(colon + 1), h, shown);
                }
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._\\-\\[\\]:]+")) {
                throw new LockConfigurationException("etcd uri has an empty or malformed host '" + h + "' in '" + shown
                        + "'");
            }
            out.add((tls ? "https://" : "http://") + host + ":" + port);
        }
        return out;
    }

    private static int port(String text, String host, String shown) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new LockConfigurationException("etcd uri has an invalid port '" + text + "' for host '" + host
                    + "' (expected 1-65535) in '" + shown + "'");
        }
    }

    private static Map<String, String> options(String query, String shown) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = (eq >= 0 ? pair.substring(0, eq) : pair).toLowerCase(Locale.ROOT);
            if (!OPTIONS.contains(name)) {
                throw new LockConfigurationException("etcd uri has an unknown option '" + name + "' in '" + shown
                        + "'; known options: authority, cacert, cert, key, namespace, prefix, strategy");
            }
            if (eq < 0) {
                throw new LockConfigurationException("etcd uri option '" + name + "' needs a value (" + name
                        + "=...), in '" + shown + "'");
            }
            out.put(name, decode(pair.substring(eq + 1), name, shown));
        }
        return out;
    }

    private static EtcdLockStrategy strategy(String value, String shown) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "txn":
                return EtcdLockStrategy.TXN;
            case "mutex":
                return EtcdLockStrategy.MUTEX;
            default:
                throw new LockConfigurationException("etcd uri option strategy must be 'txn' or 'mutex', but was '"
                        + value + "' in '" + shown + "'");
        }
    }

    private static Path file(String value, String option, String shown) {
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        if (!Files.isReadable(p)) {
            throw new LockConfigurationException("etcd uri option " + option + " names a file that does not exist or"
                    + " cannot be read: '" + new File(value).getAbsolutePath() + "' in '" + shown + "'");
        }
        return p;
    }

    private static String decode(String text, String what, String shown) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LockConfigurationException("etcd uri has a malformed percent-encoding in its " + what + ", in '"
                    + shown + "'");
        }
    }
}
