package io.github.distlock.redis.internal;

import io.github.distlock.LockBackendException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
        return new LockBackendException("redis", null, "could not connect to " + endpoint + ": " + c.getMessage(), c);
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
