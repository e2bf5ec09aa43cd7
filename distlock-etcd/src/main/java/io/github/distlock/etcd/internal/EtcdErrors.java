package io.github.distlock.etcd.internal;

import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.github.distlock.DistributedLockException;
import io.github.distlock.LockBackendException;
import io.github.distlock.internal.Exceptions;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place where jetcd and gRPC failures are classified and turned into distlock
 * exceptions. Messages name the operation and the key, never a credential.
 */
public final class EtcdErrors {

    /** The backend name used in messages and metrics. */
    public static final String BACKEND = "etcd";

    /** What a failure means for the caller. */
    public enum Kind {
        /** The call may or may not have been applied: timeout, unavailable, cancelled, internal. */
        AMBIGUOUS,
        /** The lease named in the call does not exist (any more): nothing was applied. */
        LEASE_NOT_FOUND,
        /** The server rejected the user name or password. */
        AUTHENTICATION,
        /** The user may not touch the key. */
        PERMISSION,
        /** The jetcd client was closed. */
        CLIENT_CLOSED,
        /** Anything else: the server refused the request, nothing was applied. */
        REJECTED
    }

    private EtcdErrors() {
    }

    /**
     * Classifies a failure.
     *
     * @param failure a failure from a jetcd future, possibly wrapped
     * @return its kind
     */
    public static Kind kind(Throwable failure) {
        Throwable c = Exceptions.unwrap(failure);
        if (c instanceof TimeoutException || c instanceof CancellationException) {
            return Kind.AMBIGUOUS;
        }
        if (c instanceof ClosedClientException) {
            return Kind.CLIENT_CLOSED;
        }
        Status.Code code = code(c);
        String text = String.valueOf(c.getMessage());
        switch (code) {
            case NOT_FOUND:
                return text.contains("lease") ? Kind.LEASE_NOT_FOUND : Kind.REJECTED;
            case UNAUTHENTICATED:
                return Kind.AUTHENTICATION;
            case INVALID_ARGUMENT:
                return text.contains("authentication failed") || text.contains("user name is empty")
                        ? Kind.AUTHENTICATION : Kind.REJECTED;
            case PERMISSION_DENIED:
                return Kind.PERMISSION;
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
            case CANCELLED:
            case UNKNOWN:
            case INTERNAL:
            case ABORTED:
            case RESOURCE_EXHAUSTED:
                return Kind.AMBIGUOUS;
            default:
                return Kind.REJECTED;
        }
    }

    /** @return whether a retry of an idempotent call may succeed */
    static boolean isTransient(Throwable failure) {
        return kind(failure) == Kind.AMBIGUOUS;
    }

    /** @return whether the failure says the lease does not exist */
    static boolean isLeaseNotFound(Throwable failure) {
        return kind(failure) == Kind.LEASE_NOT_FOUND;
    }

    /**
     * Maps a failure to the exception the caller sees: distlock exceptions pass through, anything
     * else becomes a {@link LockBackendException} naming the operation and the key.
     *
     * @param failure the failure
     * @param key the lock key, or {@code null}
     * @param operation what was attempted, for example {@code acquire}
     * @param timeout the per-call deadline, for timeout messages
     * @return the exception
     */
    public static DistributedLockException map(Throwable failure, String key, String operation, Duration timeout) {
        Throwable c = Exceptions.unwrap(failure);
        if (c instanceof DistributedLockException d) {
            return d;
        }
        String message;
        switch (kind(c)) {
            case AUTHENTICATION:
                message = String.valueOf(c.getMessage()).contains("user name is empty")
                        ? operation + " failed: authentication required, etcd has authentication enabled and the"
                                + " client sent no user name (give user:password@ in the URI)"
                        : operation + " failed: authentication failed, etcd rejected the user name or password"
                                + " (check the credentials of the etcd client)";
                break;
            case PERMISSION:
                message = operation + " failed: permission denied, the etcd user's roles do not grant read/write"
                        + " access to the lock keys (grant the role readwrite on the key prefix)";
                break;
            case CLIENT_CLOSED:
                message = operation + " failed: the jetcd client is closed";
                break;
            case AMBIGUOUS:
                message = c instanceof TimeoutException
                        ? operation + " did not complete within " + timeout
                                + " (etcd unreachable, paused or without a leader)"
                        : operation + " failed: " + unavailable(c);
                break;
            default:
                message = operation + " failed: " + describe(c);
        }
        return new LockBackendException(BACKEND, key, message, c);
    }

    static Status.Code code(Throwable c) {
        if (c instanceof EtcdException e) {
            try {
                return Status.Code.valueOf(e.getErrorCode().name());
            } catch (IllegalArgumentException unknown) {
                return Status.Code.UNKNOWN;
            }
        }
        return Status.fromThrowable(c).getCode();
    }

    /**
     * Says why etcd could not be reached, in one line: gRPC's status, and what a TLS failure or
     * a plain/TLS mix-up means.
     */
    private static String unavailable(Throwable c) {
        SSLException tls = Exceptions.find(c, SSLException.class);
        if (tls != null) {
            String meaning = Exceptions.tlsMeaning(tls);
            String check = meaning.contains("CA") ? " (check cacert)" : meaning.isEmpty() ? "" : " (check cert and key)";
            return "TLS handshake with etcd failed" + (meaning.isEmpty() ? "" : ": " + meaning + check) + " ("
                    + Exceptions.oneLine(String.valueOf(tls.getMessage())) + ")";
        }
        String text = describe(c);
        Throwable root = Exceptions.rootCause(c);
        if (root != c && root.getMessage() != null && !text.contains(describe(root))) {
            text += ": " + describe(root);
        }
        if (text.contains("Network closed for unknown reason")) {
            text += " (the server closed the connection: if it serves TLS, use etcds://)";
        } else if (text.contains("Connection reset")) {
            // gRPC reports a plain/TLS mix-up either way round as a reset when timing goes so
            text += " (the server reset the connection: check that etcd:// or etcds:// matches what the port serves)";
        } else if (text.contains("while performing TLS negotiation")) {
            text += " (is this port serving TLS?)";
        } else if (Exceptions.find(c, java.nio.channels.UnresolvedAddressException.class) != null) {
            text += " (the host name does not resolve)";
        }
        return "etcd is unavailable: " + text;
    }

    /** gRPC appends the Netty pipeline on a second line; keep the first. */
    private static String describe(Throwable c) {
        String m = c.getMessage();
        if (m == null || m.isBlank()) {
            return c.getClass().getSimpleName();
        }
        int pipeline = m.indexOf("Channel Pipeline:");
        return Exceptions.oneLine(pipeline > 0 ? m.substring(0, pipeline) : m);
    }
}
