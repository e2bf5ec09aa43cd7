package io.github.distlock.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in URIs so that they never reach a message, a log line or {@code --help}.
 */
public final class Uris {

    private static final Pattern SCHEME_AND_SLASHES = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&](?:password|pass|pwd|token|secret)=)[^&#]*");

    private Uris() {
    }

    /**
     * Returns the URI with any password replaced by {@code ***}: {@code redis://user:pw@host}
     * becomes {@code redis://user:***@host}, {@code redis://pw@host} becomes {@code redis://***@host},
     * and {@code ?password=pw} becomes {@code ?password=***}.
     *
     * <p>The user-info part ends at the <em>last</em> {@code '@'}, so a password with an
     * unencoded {@code '@'}, {@code '/'}, {@code '?'} or {@code '#'} is still masked whole (with
     * one of the last three, the user name is masked too). A query or fragment holding an
     * {@code '@'} makes more of the URI masked than needed, never less.
     *
     * @param uri the URI, possibly null
     * @return the masked URI
     */
    public static String redact(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = uri;
        Matcher scheme = SCHEME_AND_SLASHES.matcher(uri);
        int at = uri.lastIndexOf('@');
        if (scheme.find() && at >= scheme.end()) {
            String info = uri.substring(scheme.end(), at);
            int colon = info.indexOf(':');
            boolean plain = info.chars().noneMatch(c -> c == '/' || c == '?' || c == '#' || c == '&');
            String safe = plain && colon >= 0 ? info.substring(0, colon) + ":***" : "***";
            masked = uri.substring(0, scheme.end()) + safe + uri.substring(at);
        }
        return SECRET_PARAM.matcher(masked).replaceAll("$1***");
    }

    /**
     * Returns the lower-case scheme of a URI: the part before the first {@code ':'}.
     *
     * @param uri the URI
     * @return the scheme, or an empty string when there is none
     */
    public static String scheme(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            return "";
        }
        String scheme = uri.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme.toLowerCase(java.util.Locale.ROOT) : "";
    }
}
