package io.github.distlock.internal;

import java.util.regex.Pattern;

/**
 * Masks credentials in URIs so that they never reach a message, a log line or {@code --help}.
 */
public final class Uris {

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*)@");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&](?:password|pass|pwd|token|secret)=)[^&#]*");

    private Uris() {
    }

    /**
     * Returns the URI with any password replaced by {@code ***}: {@code redis://user:pw@host}
     * becomes {@code redis://user:***@host}, {@code redis://pw@host} becomes {@code redis://***@host},
     * and {@code ?password=pw} becomes {@code ?password=***}.
     *
     * @param uri the URI, possibly null
     * @return the masked URI
     */
    public static String redact(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = USER_INFO.matcher(uri).replaceFirst(m -> {
            String info = m.group(2);
            int colon = info.indexOf(':');
            String safe = colon >= 0 ? info.substring(0, colon) + ":***" : "***";
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + safe + "@");
        });
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
