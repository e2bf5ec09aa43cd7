package io.github.distlock.cli;

import io.github.distlock.internal.Uris;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything the CLI prints. Three layers: URIs are printed redacted
 * ({@link #redact}); any text printed as an error is scanned for URIs with a user-info part and
 * for secret query parameters ({@link #mask}); and the passwords this invocation was given
 * (from {@code DISTLOCK_PASSWORD} or a URI) are replaced wherever they appear.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private static final Pattern USER_INFO_ANYWHERE =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#\\s'\"]*)@");
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)([?&](?:password|pass|pwd|token|secret)=)[^&#\\s'\"]*");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*)@");
    /** Secrets shorter than this are masked only where they stand in a URI (masking every "ab" would garble messages). */
    private static final int MIN_LITERAL = 4;

    private static final Set<String> KNOWN = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    /**
     * Remembers a secret of this invocation, so that {@link #mask} removes it from any text.
     *
     * @param secret the secret; ignored when null or shorter than four characters
     */
    public static void remember(String secret) {
        if (secret != null && secret.length() >= MIN_LITERAL) {
            KNOWN.add(secret);
            String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) {
                KNOWN.add(encoded);
            }
        }
    }

    /**
     * Returns a backend URI fit for printing: any password replaced by {@value #MASK}.
     *
     * @param uri the URI
     * @return the redacted URI
     */
    public static String redact(String uri) {
        return mask(Uris.redact(uri));
    }

    /**
     * Masks credentials anywhere in a text: passwords in URI user-info parts, secret query
     * parameters, and every secret {@linkplain #remember remembered} by this invocation.
     *
     * @param text any text, possibly null
     * @return the text without secrets
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO_ANYWHERE.matcher(text).replaceAll(m -> {
            String info = m.group(2);
            int colon = info.indexOf(':');
            String safe = colon >= 0 ? info.substring(0, colon) + ":" + MASK : MASK;
            return Matcher.quoteReplacement(m.group(1) + safe + "@");
        });
        out = SECRET_PARAM.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        for (String secret : KNOWN) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /**
     * Adds a password to a URI that has none: {@code redis://host} becomes
     * {@code redis://:PASSWORD@host} and {@code etcd://user@host} becomes
     * {@code etcd://user:PASSWORD@host}. The password is percent-encoded. A URI that already
     * carries a password (for Redis, {@code redis://secret@host} is a password too), or has no
     * {@code //} authority ({@code mem:}), is returned unchanged.
     *
     * @param uri the backend URI
     * @param password the password, or null
     * @return the URI with credentials
     */
    public static String withPassword(String uri, String password) {
        if (password == null || password.isEmpty()) {
            return uri;
        }
        int sep = uri.indexOf("://");
        if (sep < 0) {
            return uri;
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
        Matcher m = USER_INFO.matcher(uri);
        if (!m.find()) {
            return uri.substring(0, sep + 3) + ":" + encoded + "@" + uri.substring(sep + 3);
        }
        String info = m.group(2);
        int colon = info.indexOf(':');
        if (colon >= 0) {
            if (colon < info.length() - 1) {
                return uri; // user:password already
            }
        } else if (scheme.startsWith("redis")) {
            return uri; // redis://secret@host: Lettuce reads a lone user-info as the password
        }
        String user = colon >= 0 ? info.substring(0, colon) : info;
        return m.group(1) + user + ":" + encoded + "@" + uri.substring(m.end());
    }

    /**
     * Returns the password a URI carries, decoded, if any (see {@link #withPassword} for which
     * user-info parts count as passwords).
     *
     * @param uri the backend URI
     * @return the password, or null
     */
    public static String passwordIn(String uri) {
        Matcher m = USER_INFO.matcher(uri);
        if (!m.find()) {
            return null;
        }
        String info = m.group(2);
        int colon = info.indexOf(':');
        String raw;
        if (colon >= 0) {
            raw = info.substring(colon + 1);
        } else if (m.group(1).toLowerCase(Locale.ROOT).startsWith("redis")) {
            raw = info;
        } else {
            return null;
        }
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /**
     * Returns the URI without any credentials: no user-info part and no secret query parameters.
     * This is what a command run under {@code distlock run} sees in {@code DISTLOCK_BACKEND}.
     *
     * @param uri the backend URI
     * @return the URI without credentials
     */
    public static String withoutCredentials(String uri) {
        String out = USER_INFO.matcher(uri).replaceFirst("$1");
        out = out.replaceAll("(?i)([?&])(?:password|pass|pwd|token|secret)=[^&#]*&?", "$1");
        return out.replaceAll("[?&]$", "").replace("?&", "?");
    }
}
