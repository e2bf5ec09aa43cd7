package io.github.distlock.cli;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockOptions;
import io.github.distlock.internal.Uris;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every command shares: which backend, the deadline of backend calls, verbosity.
 * Mixed into each command with {@code @Mixin}.
 */
public final class BackendOptions {

    /** The backend used when neither {@code --backend} nor {@code DISTLOCK_BACKEND} names one. */
    public static final String DEFAULT_URI = "mem:";
    /** Default deadline of every backend call, connecting included. */
    public static final Duration DEFAULT_BACKEND_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--backend", paramLabel = "URI",
            description = {"Backend URI: mem:, redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://..., "
                    + "redis-sentinel://..., redis-cluster://..., etcd://HOST:PORT[,HOST:PORT]. "
                    + "Default: $DISTLOCK_BACKEND, else mem:. A password may also come from $DISTLOCK_PASSWORD."})
    String backend;

    @Option(names = "--backend-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Deadline of every backend call, connecting included (default: 5s).")
    Duration backendTimeout = DEFAULT_BACKEND_TIMEOUT;

    @Option(names = "--verbose", description = "Debug logging of the backend client on stderr; stack traces on internal errors.")
    boolean verbose;

    /** Creates the options with their defaults; picocli fills them in. */
    public BackendOptions() {
    }

    /**
     * Returns the backend URI to connect to: {@code --backend}, else {@code $DISTLOCK_BACKEND},
     * else {@code mem:}; with the password from {@code $DISTLOCK_PASSWORD} added when the URI
     * carries none. Every password involved is remembered for masking.
     *
     * @param ctx the environment
     * @return the URI, with credentials
     */
    public String uri(CliContext ctx) {
        if (backend != null && backend.isBlank()) {
            // Likely --backend "$UNSET_VARIABLE": falling back to mem: would lock nothing across processes.
            throw new CliFailure(ExitCodes.USAGE, "--backend must not be empty: give a URI such as redis://HOST:6379,"
                    + " or leave the option out to use $DISTLOCK_BACKEND or mem:");
        }
        String uri = backend != null ? backend.trim() : ctx.getenv(CliContext.ENV_BACKEND);
        if (uri == null) {
            uri = DEFAULT_URI;
        }
        String password = ctx.env().get(CliContext.ENV_PASSWORD);
        Secrets.remember(password);
        Secrets.remember(Secrets.passwordIn(uri));
        return Secrets.withPassword(uri, password);
    }

    /**
     * Like {@link #uri}, for commands that only make sense across processes ({@code run},
     * {@code status}, {@code list}): on {@code mem:} it also prints the one-line note that
     * {@code mem:} is local to this process and how to name a real backend.
     *
     * @param ctx the environment
     * @return the URI, with credentials
     */
    public String sharedUri(CliContext ctx) {
        String uri = uri(ctx);
        if (isMem(uri)) {
            ctx.error("note: mem: is local to this one process, so other processes see none of its locks; "
                    + "name a real backend with --backend redis://HOST:6379 (or etcd://HOST:2379) or DISTLOCK_BACKEND");
        }
        return uri;
    }

    /** @return the deadline of every backend call */
    public Duration backendTimeout() {
        return backendTimeout;
    }

    /** @return whether {@code --verbose} was given */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Tells whether a URI names the in-memory backend.
     *
     * @param uri the URI
     * @return whether its scheme is {@code mem}
     */
    public static boolean isMem(String uri) {
        return "mem".equals(Uris.scheme(uri));
    }

    /**
     * Opens a client with this invocation's timeout, turning on debug logging first when
     * {@code --verbose} was given.
     *
     * @param uri the URI from {@link #uri}
     * @return the client; close it
     * @throws io.github.distlock.LockConfigurationException for a malformed URI or unknown scheme
     * @throws io.github.distlock.LockBackendException if the backend cannot be reached
     */
    public DistributedLock open(String uri) {
        Logging.configure(verbose);
        if (backendTimeout.isZero() || backendTimeout.isNegative()) {
            throw new CliFailure(ExitCodes.USAGE, "--backend-timeout must be positive, but was " + Durations.format(backendTimeout));
        }
        if (backendTimeout.compareTo(LockOptions.MAX_DURATION) > 0) {
            throw new CliFailure(ExitCodes.USAGE, "--backend-timeout must be at most " + Durations.format(LockOptions.MAX_DURATION)
                    + ", but was " + Durations.format(backendTimeout));
        }
        return DistributedLocks.open(uri, LockClientOptions.builder().operationTimeout(backendTimeout).build());
    }
}
