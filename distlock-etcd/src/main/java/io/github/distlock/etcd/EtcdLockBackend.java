package io.github.distlock.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.LockInfo;
import io.github.distlock.etcd.internal.ClientFactory;
import io.github.distlock.etcd.internal.EtcdErrors;
import io.github.distlock.etcd.internal.EtcdLockStore;
import io.github.distlock.etcd.internal.EtcdUri;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The etcd backend, on jetcd. Use it with {@link io.github.distlock.DistributedLocks#create}:
 *
 * <pre>{@code
 * DistributedLock locks = DistributedLocks.create(EtcdLockBackend.builder()
 *         .endpoints("http://etcd-1:2379", "http://etcd-2:2379", "http://etcd-3:2379")
 *         .strategy(EtcdLockStrategy.MUTEX)
 *         .build());
 * }</pre>
 *
 * <p>or open it by URI: {@code DistributedLocks.open("etcd://etcd-1:2379,etcd-2:2379?strategy=mutex")}.
 *
 * <p>Leases: auto-renewed locks share one session lease per TTL, kept alive by jetcd's
 * keep-alive stream; a lock with an explicit TTL gets a lease of its own, revoked on release.
 * TTLs are whole seconds (rounded up) and the server may raise a short TTL to its minimum
 * (2 s with default election settings); the granted TTL is what the lease reports. The fencing
 * token is the create revision of the owner's key.
 */
public final class EtcdLockBackend implements LockBackend {

    /** TTLs are stored in whole seconds, at least one. */
    public static final BackendLimits LIMITS = new BackendLimits(Duration.ofSeconds(1), Duration.ofSeconds(1));
    /** Default key prefix: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = EtcdUri.DEFAULT_PREFIX;
    /** How long a waiter waits for a notification before it looks again anyway. */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(5);

    private final EtcdLockStore store;
    private final EtcdLockStrategy strategy;
    private final String keyPrefix;

    private EtcdLockBackend(EtcdLockStore store, EtcdLockStrategy strategy, String keyPrefix) {
        this.store = store;
        this.strategy = strategy;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Starts a builder: give it one of {@link Builder#endpoints}, {@link Builder#clientBuilder}
     * or {@link Builder#client}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the strategy */
    public EtcdLockStrategy strategy() {
        return strategy;
    }

    /** @return the key prefix */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public String name() {
        return EtcdErrors.BACKEND;
    }

    @Override
    public BackendLimits limits() {
        return LIMITS;
    }

    /**
     * {@code true}: every operation of the store answers within the backend's operation timeout
     * (the client's, when the backend is built from the client's options), so the core adds no
     * timer per call on the acquire/release path.
     */
    @Override
    public boolean boundsEveryCall() {
        return true;
    }

    @Override
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        return store.tryAcquire(request);
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return store.release(claim, false);
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim, boolean completeInline) {
        return store.release(claim, completeInline);
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return store.renew(request);
    }

    @Override
    public CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        return store.renewAll(requests);
    }

    @Override
    public CompletableFuture<LockInfo> inspect(String key) {
        return store.inspect(key);
    }

    /**
     * Lists held locks by a paged range read of the key prefix.
     *
     * @param keyPrefix the lock key prefix; empty for all
     * @param limit the most locks to return
     * @return the held locks, sorted by key
     */
    @Override
    public CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        return store.list(keyPrefix, limit);
    }

    /**
     * Revokes this backend's leases (any lock still on them is deleted), and closes the jetcd
     * client unless it was borrowed with {@link Builder#client(Client)}.
     */
    @Override
    public void close() {
        store.close();
    }

    /** @return how many acquire and release answers were handed off jetcd's threads; for tests */
    long lockPathHandOffs() {
        return store.lockPathHandOffs();
    }

    /** @return the number of armed change notifications (watches and timers); for tests */
    int armedNotifications() {
        return store.armedNotifications();
    }

    @Override
    public String toString() {
        return "EtcdLockBackend{strategy=" + strategy + ", keyPrefix='" + keyPrefix + "'}";
    }

    /**
     * Configures an {@link EtcdLockBackend}. Exactly one connection source must be given.
     */
    public static final class Builder {

        private Client client;
        private ClientBuilder clientBuilder;
        private List<String> endpoints;
        private EtcdLockStrategy strategy = EtcdLockStrategy.TXN;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration operationTimeout = LockClientOptions.DEFAULT_OPERATION_TIMEOUT;

        private Builder() {
        }

        /**
         * Uses an existing client. It is borrowed: {@link EtcdLockBackend#close()} does not close
         * it. Its calls get the operation timeout through {@code orTimeout} only; a client built
         * by this backend also sets a gRPC deadline on every call.
         *
         * @param client the jetcd client
         * @return this builder
         */
        public Builder client(Client client) {
            this.client = notNull("client", client);
            return this;
        }

        /**
         * Builds the client from a jetcd builder, with everything jetcd offers there (TLS through
         * {@code sslContext}, {@code user}/{@code password}, {@code namespace}, load balancing).
         * The backend adds a gRPC deadline to every unary call, on a copy: the given builder is
         * not changed. The backend owns and closes the client.
         *
         * @param builder the jetcd builder
         * @return this builder
         */
        public Builder clientBuilder(ClientBuilder builder) {
            this.clientBuilder = notNull("clientBuilder", builder);
            return this;
        }

        /**
         * Connects to these endpoints without TLS or auth, failing fast when they are down.
         *
         * @param endpoints URLs such as {@code http://127.0.0.1:2379}, or {@code host:port}
         * @return this builder
         */
        public Builder endpoints(String... endpoints) {
            if (endpoints == null || endpoints.length == 0 || Arrays.stream(endpoints).anyMatch(e -> e == null || e.isBlank())) {
                throw new InvalidLockArgumentException("endpoints", "endpoints must name at least one non-blank endpoint, "
                        + "but was " + (endpoints == null ? null : Arrays.toString(endpoints)));
            }
            this.endpoints = List.of(endpoints);
            return this;
        }

        /**
         * Chooses how locks are laid out; default {@link EtcdLockStrategy#TXN}.
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder strategy(EtcdLockStrategy strategy) {
            this.strategy = notNull("strategy", strategy);
            return this;
        }

        /**
         * Sets the prefix of every key this backend writes (inside the jetcd namespace, if one is
         * set); default {@code /distlock/}. With etcd auth, grant the user's role
         * read/write on this prefix.
         *
         * @param prefix the prefix, without control characters; may be empty
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            notNull("keyPrefix", prefix);
            if (prefix.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidLockArgumentException("keyPrefix", "keyPrefix must not contain control characters");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Sets the deadline of every call to etcd; default 5 s. Keep it no longer than the
         * client's {@link LockClientOptions#operationTimeout()}.
         *
         * @param timeout positive duration
         * @return this builder
         */
        public Builder operationTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new InvalidLockArgumentException("operationTimeout",
                        "operationTimeout must be positive, but was " + timeout);
            }
            this.operationTimeout = timeout;
            return this;
        }

        /**
         * Builds the backend. Does not contact etcd: a wrong address or credentials show up as a
         * {@link io.github.distlock.LockBackendException} on the first call.
         *
         * @return the backend
         * @throws LockConfigurationException if not exactly one of client, clientBuilder and
         *         endpoints was given
         */
        public EtcdLockBackend build() {
            int sources = (client != null ? 1 : 0) + (clientBuilder != null ? 1 : 0) + (endpoints != null ? 1 : 0);
            if (sources != 1) {
                throw new LockConfigurationException("EtcdLockBackend needs exactly one of client(...), clientBuilder(...)"
                        + " and endpoints(...), but " + sources + " were given");
            }
            EtcdLockStore store;
            if (client != null) {
                store = new EtcdLockStore(client, false, strategy, keyPrefix, operationTimeout, RECHECK_AFTER);
            } else {
                ClientBuilder b = clientBuilder != null ? clientBuilder : ClientFactory.forEndpoints(endpoints, operationTimeout);
                try {
                    store = EtcdLockStore.create(b, strategy, keyPrefix, operationTimeout, RECHECK_AFTER);
                } catch (RuntimeException e) {
                    throw new LockConfigurationException("cannot build the jetcd client: " + e.getMessage(), e);
                }
            }
            return new EtcdLockBackend(store, strategy, keyPrefix);
        }

        private static <T> T notNull(String name, T value) {
            if (value == null) {
                throw new InvalidLockArgumentException(name, name + " must not be null");
            }
            return value;
        }
    }
}
