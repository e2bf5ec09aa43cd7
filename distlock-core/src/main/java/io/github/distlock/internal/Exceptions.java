package io.github.distlock.internal;

import io.github.distlock.DistributedLockException;
import io.github.distlock.LockBackendException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place that unwraps async exceptions, maps foreign causes to
 * {@link LockBackendException} and waits on futures while keeping the interrupt flag.
 */
public final class Exceptions {

    private Exceptions() {
    }

    /**
     * Strips {@link CompletionException} and {@link ExecutionException} wrappers.
     *
     * @param t a throwable from a future
     * @return the innermost meaningful cause
     */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Maps a failure of a store call to a distlock exception: distlock exceptions pass through,
     * anything else becomes a {@link LockBackendException} naming the backend, key and operation.
     *
     * @param t the failure
     * @param backend the backend name
     * @param key the key, or {@code null}
     * @param operation the operation, for example {@code acquire}
     * @return the mapped exception
     */
    public static DistributedLockException map(Throwable t, String backend, String key, String operation) {
        Throwable c = unwrap(t);
        if (c instanceof DistributedLockException d) {
            return d;
        }
        if (c instanceof TimeoutException) {
            return new LockBackendException(backend, key, operation + " did not complete in time", c);
        }
        String detail = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return new LockBackendException(backend, key, operation + " failed: " + detail, c);
    }

    /**
     * Rethrows the failure of a completed future as an unchecked exception, unwrapped.
     *
     * @param t the failure
     * @return never returns normally; declared for {@code throw Exceptions.rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof RuntimeException r) {
            throw r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        throw new DistributedLockException("unexpected failure: " + c, c);
    }

    /**
     * Waits for a future whose completion is bounded by a deadline elsewhere (every store call
     * has one), without giving up on interrupt: the work it waits for (a release, a renewal)
     * must not be abandoned half-done. The interrupt flag is restored before returning.
     *
     * @param future the future
     * @param <T> the result type
     * @return the result
     */
    public static <T> T awaitBounded(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                } catch (CancellationException e) {
                    throw new DistributedLockException("operation was cancelled", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Finds the first throwable of a type in a cause chain.
     *
     * @param t the failure
     * @param type the type looked for
     * @param <T> that type
     * @return the first match, {@code t} itself included, or {@code null}
     */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * Returns the last throwable of a cause chain.
     *
     * @param t the failure
     * @return its innermost cause, or {@code t}
     */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * Folds a (possibly multi-line) driver message into one line.
     *
     * @param s the text
     * @return the text with every run of white space replaced by one space
     */
    public static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /**
     * Says what a failed TLS handshake means for the user, from the JDK's message.
     *
     * @param tls the handshake failure
     * @return {@code the server's certificate is not signed by a CA this client trusts}, {@code the
     *     server refused the client certificate, or the client has none}, or an empty string
     */
    public static String tlsMeaning(SSLException tls) {
        String m = String.valueOf(tls.getMessage());
        if (m.contains("PKIX") || m.contains("certification path")) {
            return "the server's certificate is not signed by a CA this client trusts";
        }
        if (m.contains("bad_certificate") || m.contains("certificate_required")) {
            return "the server refused the client certificate, or the client has none";
        }
        return "";
    }
}
