package io.github.distlock.redis.internal;

import io.github.distlock.LockBackendException;
import io.github.distlock.internal.Exceptions;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Maps Lettuce failures to distlock exceptions, in one place. Messages never contain
 * credentials: they name the endpoint with the password masked.
 */
public final class RedisExceptions {

    private RedisExceptions() {
    }

    /**
     * Maps a failure to connect.
     *
     * @param endpoint the endpoint, already masked
     * @param failure Lettuce's exception
     * @return the exception to throw
     */
    public static LockBackendException connectFailed(String endpoint, Throwable failure) {
        Throwable c = unwrap(failure);
        String text = messages(failure).toUpperCase(Locale.ROOT);
        if (text.contains("WRONGPASS") || text.contains("NOAUTH") || text.contains("INVALID PASSWORD")
                || text.contains("INVALID USERNAME-PASSWORD")) {
            return new LockBackendException("redis", null, "authentication to " + endpoint
                    + " failed: wrong user name or password (the server answered WRONGPASS/NOAUTH)", null);
        }
        if (text.contains("NOPERM")) {
            return new LockBackendException("redis", null, "the Redis user for " + endpoint
                    + " lacks a permission distlock needs (NOPERM); see the README's ACL section", null);
        }
        return new LockBackendException("redis", null, "could not connect to " + endpoint + ": " + reason(endpoint, c), c);
    }

    /**
     * Says why a connection failed in one line: Lettuce's message with the root cause (which
     * Lettuce leaves in the cause chain: "Connection refused", "ERR DB index is out of range"),
     * and for TLS what the handshake failure means.
     */
    private static String reason(String endpoint, Throwable failure) {
        SSLException tls = Exceptions.find(failure, SSLException.class);
        if (tls != null) {
            String meaning = Exceptions.tlsMeaning(tls);
            return "TLS handshake failed" + (meaning.isEmpty() ? "" : ": " + meaning) + " ("
                    + Exceptions.oneLine(String.valueOf(tls.getMessage())) + ")";
        }
        Throwable root = Exceptions.rootCause(failure);
        String top = describe(failure).replace("/<unresolved>", "");
        String detail = root == failure ? "" : describe(root);
        String text = detail.isEmpty() || top.contains(detail) ? top : top + " (" + detail + ")";
        boolean tlsEndpoint = endpoint.startsWith("rediss");
        if (tlsEndpoint && root.getClass().getSimpleName().contains("Timeout")) {
            text += "; the server never answered the TLS handshake: is this port serving TLS?";
        } else if (!tlsEndpoint && String.valueOf(root.getMessage()).contains("Connection reset")) {
            text += "; the server closed the connection: if it serves TLS, use rediss://";
        }
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static String describe(Throwable t) {
        return Exceptions.oneLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /**
     * Wraps a failure for rethrowing inside a completion stage.
     *
     * @param failure the failure
     * @return a completion exception around the unwrapped cause
     */
    public static CompletionException asCompletion(Throwable failure) {
        return failure instanceof CompletionException ce ? ce : new CompletionException(unwrap(failure));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 4000; c = c.getCause()) {
            b.append(c.getMessage()).append(' ');
            if (c.getCause() == c) {
                break;
            }
        }
        return b.toString();
    }
}
