package io.github.distlock.redis;

import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockType;
import io.github.distlock.internal.Uris;
import io.github.distlock.redis.internal.HandOffs;
import io.github.distlock.redis.internal.RedisExceptions;
import io.github.distlock.redis.internal.RedisKeys;
import io.github.distlock.redis.internal.RedisScripts;
import io.github.distlock.redis.internal.ReleaseNotifications;
import io.github.distlock.redis.internal.ReleaseResends;
import io.github.distlock.redis.internal.ScriptRunner;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The Redis backend, on Lettuce: standalone, Sentinel and Cluster.
 *
 * <p>Every operation is one Lua script and one round trip: acquire sets the owner token with a
 * TTL only when free and bumps the key's fencing counter, floored on every grant by the server's
 * clock in microseconds, so tokens keep increasing across a restart without persistence, a restart
 * from an older snapshot and a failover to a replica that missed the last grants (as long as the
 * new server's clock is not behind the old one's); release and renew compare the
 * owner token first. Release publishes on the lock's sharded channel, which wakes this and every
 * other client waiting on the key over one pub/sub connection per client. When writers wait,
 * release hands the lock to the longest-waiting one in the same script and names it in its reply
 * and (unless that waiter is the releasing client's own) in the message, and that waiter's
 * client completes its acquire without another round trip
 * ({@link HandOffs}; {@code RedisScripts} describes the waiting set). The watchdog renews
 * all locks of a client with one script call per batch (per slot on Cluster).
 *
 * <p>Build one with {@link #builder()}, or let {@code DistributedLocks.open("redis://...")} do it.
 */
public final class RedisLockBackend implements LockBackend {

    /** Default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "lock:";
    /** Default lifetime of a lock's fencing counter from its creation: one day. */
    public static final Duration DEFAULT_FENCE_RETENTION = Duration.ofDays(1);
    /** Default deadline of every command, used when the Redis URI does not set a timeout. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final String prefix;
    private final String fenceRetentionMs;
    private final String description;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final boolean ownsClient;
    private final StatefulConnection<String, String> connection;
    private final ScriptRunner scripts;
    private final RedisClusterAsyncCommands<String, String> commands;
    private final ReleaseNotifications notifications;
    private final HandOffs handOffs = new HandOffs();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ReleaseResends resends;
    private final reactor.core.Disposable reconnectWatch;

    private RedisLockBackend(Builder b) {
        this.prefix = b.keyPrefix;
        this.fenceRetentionMs = Long.toString(b.fenceRetention.toMillis());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "distlock-redis-notifications");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        boolean ownsClient = false;
        RedisClient standalone = b.client;
        RedisClusterClient cluster = b.clusterClient;
        if (standalone == null && cluster == null) {
            ownsClient = true;
            if (b.clusterUris != null) {
                Duration timeout = commandTimeout(b.clusterUris.get(0), b.commandTimeout);
                cluster = RedisClusterClient.create(b.clusterUris.stream().map(u -> withTimeout(u, timeout)).toList());
                cluster.setOptions(ClusterClientOptions.builder()
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .socketOptions(socketOptions(b.commandTimeout))
                        .build());
            } else {
                standalone = RedisClient.create(withTimeout(b.redisUri, commandTimeout(b.redisUri, b.commandTimeout)));
                standalone.setOptions(ClientOptions.builder()
                        .timeoutOptions(TimeoutOptions.enabled(commandTimeout(b.redisUri, b.commandTimeout)))
                        .socketOptions(socketOptions(b.commandTimeout))
                        .build());
            }
        }
        this.client = standalone;
        this.clusterClient = cluster;
        this.ownsClient = ownsClient;
        this.description = b.description;
        StatefulConnection<String, String> main = null;
        try {
            if (cluster != null) {
                StatefulRedisClusterConnection<String, String> c = cluster.connect();
                main = c;
                this.commands = c.async();
                this.notifications = new ReleaseNotifications(cluster.connectPubSub(), scheduler);
            } else {
                // Through Sentinel, a master-replica connection follows the sentinels' switch-master
                // announcements; a plain connection would keep writing to a demoted master.
                StatefulRedisConnection<String, String> c = b.redisUri != null && !b.redisUri.getSentinels().isEmpty()
                        ? MasterReplica.connect(standalone, StringCodec.UTF8, b.redisUri)
                        : standalone.connect();
                main = c;
                this.commands = c.async();
                this.notifications = new ReleaseNotifications(b.redisUri != null
                        ? standalone.connectPubSub(StringCodec.UTF8, b.redisUri)
                        : standalone.connectPubSub(), scheduler);
            }
        } catch (RuntimeException e) {
            if (main != null) {
                main.closeAsync();
            }
            scheduler.shutdownNow();
            if (ownsClient) {
                shutdown(standalone, cluster);
            }
            throw RedisExceptions.connectFailed(description, e);
        }
        this.connection = main;
        this.scripts = new ScriptRunner(commands);
        this.resends = new ReleaseResends(connection::isOpen, scheduler);
        // Releases published while a connection was down are lost: after any reconnect, wake
        // every waiter so it looks again instead of sleeping until the holder's TTL. (Releases
        // the lost connection cut off are sent again by ReleaseResends.)
        io.lettuce.core.resource.ClientResources resources = cluster != null ? cluster.getResources() : standalone.getResources();
        this.reconnectWatch = resources.eventBus().get()
                .filter(event -> event instanceof io.lettuce.core.event.connection.ConnectionActivatedEvent)
                .subscribe(event -> notifications.wakeAll());
    }

    private static Duration commandTimeout(RedisURI uri, Duration configured) {
        if (configured != null) {
            return configured;
        }
        // RedisURI's default timeout is 60 s; keep it only when the URI set one explicitly.
        Duration fromUri = uri.getTimeout();
        return fromUri == null || fromUri.equals(RedisURI.DEFAULT_TIMEOUT_DURATION) ? DEFAULT_COMMAND_TIMEOUT : fromUri;
    }

    /**
     * Lettuce waits for the connection handshake as long as the URI's timeout (60 s unless set),
     * so opening on a paused server would hang that long: when the URI left its timeout at
     * Lettuce's default, set it to the command timeout. (Not copied: a copy loses Sentinel nodes.)
     */
    private static RedisURI withTimeout(RedisURI uri, Duration timeout) {
        if (uri.getTimeout() == null || uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) {
            uri.setTimeout(timeout);
        }
        return uri;
    }

    private static SocketOptions socketOptions(Duration commandTimeout) {
        Duration connect = commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : commandTimeout;
        return SocketOptions.builder().connectTimeout(connect).keepAlive(true).build();
    }

    /**
     * The least privilege a Redis ACL user needs for distlock with the given key prefix: its
     * keys and release channels, the commands its scripts run (Redis checks commands inside
     * scripts against the caller's ACL too), {@code SCAN} for {@code listLocks}, and the
     * connection handshake.
     *
     * <pre>{@code ACL SETUSER app on >secret resetkeys resetchannels -@all ~lock:* &lock:* +evalsha ...}</pre>
     *
     * <p>Redis does not filter {@code SCAN} by the user's key patterns: a user allowed to scan
     * sees the <em>names</em> of every key, other tenants' lock keys included (never their values,
     * owners or TTLs). Where lock names are confidential, use {@link #aclRules(String, boolean)
     * aclRules(prefix, false)}.
     *
     * @param keyPrefix the key prefix the user may touch
     * @return the ACL rules, one per element, for {@code ACL SETUSER name on >password <rules>}
     */
    public static List<String> aclRules(String keyPrefix) {
        return aclRules(keyPrefix, true);
    }

    /**
     * Like {@link #aclRules(String)}, with or without {@code SCAN}. Without it {@code listLocks}
     * (and {@code distlock list}) fail with {@code NOPERM}; everything else works, and the user
     * cannot learn the names of keys outside its prefix.
     *
     * @param keyPrefix the key prefix the user may touch
     * @param listing whether to allow {@code SCAN}, which {@code listLocks} needs
     * @return the ACL rules, one per element, for {@code ACL SETUSER name on >password <rules>}
     */
    public static List<String> aclRules(String keyPrefix, boolean listing) {
        List<String> rules = new ArrayList<>(List.of("resetkeys", "resetchannels", "-@all", "~" + keyPrefix + "*",
                "&" + keyPrefix + "*",
                // the connection handshake and scripts
                "+hello", "+ping", "+client|setname", "+evalsha", "+eval",
                // release notifications
                "+ssubscribe", "+sunsubscribe"));
        if (listing) {
            rules.add("+scan");
        }
        rules.addAll(List.of(
                // commands the Lua scripts call
                "+time", "+exists", "+get", "+set", "+del", "+pttl", "+pexpire", "+incr", "+zadd", "+zrem", "+zscore",
                "+zcard", "+zrange", "+zpopmin", "+zrangebyscore", "+zremrangebyscore", "+hset", "+hget", "+hdel", "+spublish",
                // cluster topology discovery
                "+cluster|slots", "+cluster|nodes", "+cluster|shards", "+cluster|myid", "+command|info"));
        return List.copyOf(rules);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public BackendLimits limits() {
        return BackendLimits.MILLISECONDS;
    }

    /**
     * {@code true} when the backend created the Lettuce client itself: it then enables Lettuce's
     * command timeout, so every call is bounded without a second timer in the core.
     */
    @Override
    public boolean boundsEveryCall() {
        return ownsClient;
    }

    /** @return the key prefix */
    public String keyPrefix() {
        return prefix;
    }

    /** @return where this backend connects, with any password masked */
    public String description() {
        return description;
    }

    @Override
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        LockClaim claim = request.claim();
        // Handed the lock by a release while waiting: answered from the record, no round trip.
        AcquireResult.Acquired handed = handOffs.take(claim.ownerToken(), ttlMillis(request.ttl()));
        if (handed != null) {
            return CompletableFuture.completedFuture(handed);
        }
        RedisKeys keys = RedisKeys.of(prefix, claim.key());
        boolean exclusive = claim.type() == LockType.EXCLUSIVE;
        // A hot key (this client already waits on it): a writer that will wait enqueues on its
        // first attempt, since arming costs nothing here; otherwise the first attempt stays plain.
        boolean prepare = request.prepareWait()
                || (request.willWait() && exclusive && notifications.anySubscribed()
                        && notifications.isSubscribed(keys.channel()));
        if (!prepare) {
            return acquireScript(request, keys, false).thenApply(reply -> toResult(reply, null));
        }
        HandOffs.Waiter waiter = exclusive ? new HandOffs.Waiter() : null;
        // Subscribe before looking, so that a release between our look and our wait is seen.
        return (exclusive ? notifications.arm(keys.channel(), HandOffs.tag(claim.ownerToken()), waiter)
                        : notifications.arm(keys.channel(), false))
                .handle((changed, armError) -> changed)
                .thenCompose(changed -> {
                    if (waiter != null) {
                        waiter.sending();
                    }
                    return acquireScript(request, keys, true)
                        .handle((reply, error) -> {
                            if (error != null) {
                                if (changed != null) {
                                    changed.cancel(false);
                                }
                                throw RedisExceptions.asCompletion(error);
                            }
                            AcquireResult result = toResult(reply, changed == null ? new CompletableFuture<>() : changed);
                            if (changed != null && result instanceof AcquireResult.Acquired) {
                                changed.cancel(false);
                            }
                            if (changed == null && result instanceof AcquireResult.Busy busy) {
                                // No notifications (pub/sub unavailable): fall back to polling.
                                Duration poll = busy.recheckAfter().compareTo(Duration.ofMillis(200)) < 0
                                        ? busy.recheckAfter() : Duration.ofMillis(200);
                                return new AcquireResult.Busy(poll, busy.changed(), busy.enqueued());
                            }
                            if (waiter != null && changed != null && result instanceof AcquireResult.Busy busy && busy.enqueued()) {
                                // A hand-off may be announced from now on (or was already, to the
                                // waiter): keep it until the core's next attempt or until it stops waiting.
                                handOffs.waiting(claim.ownerToken(), waiter, reply.size() > 3 ? (Long) reply.get(3) : Long.MAX_VALUE);
                                changed.whenComplete((v, e) -> {
                                    if (e != null) {
                                        handOffs.forget(claim.ownerToken(), waiter);
                                    }
                                });
                            }
                            return result;
                        });
                });
    }

    private CompletableFuture<List<Object>> acquireScript(AcquireRequest request, RedisKeys keys, boolean prepareWait) {
        LockClaim claim = request.claim();
        return scripts.run(RedisScripts.ACQUIRE, ScriptOutputType.MULTI, keys.scriptKeys(),
                claim.ownerToken(), kind(claim.type()), Long.toString(ttlMillis(request.ttl())),
                prepareWait ? "1" : "0", fenceRetentionMs);
    }

    private static AcquireResult toResult(List<Object> reply, CompletableFuture<Void> changed) {
        long status = (Long) reply.get(0);
        if (status == 1) {
            long ttl = (Long) reply.get(2);
            return new AcquireResult.Acquired((Long) reply.get(1), Duration.ofMillis(Math.max(1, ttl)));
        }
        return new AcquireResult.Busy(Duration.ofMillis((Long) reply.get(1)), changed, ((Long) reply.get(2)) == 1);
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        // A waiter that gives up releases its claim: anything it was handed is passed on below.
        handOffs.forget(claim.ownerToken());
        return sendRelease(claim, ReleaseResends.MAX_RESENDS);
    }

    /**
     * Runs the owner-checked release; when a lost connection cuts it off (it may never have
     * reached the server), sends it again once the connection is back, up to {@code resendsLeft}
     * times, without delaying the caller, who learns of the failure: the lock is then freed (or
     * handed on, or a waiter's marker removed) at the reconnect rather than when its TTL runs out.
     */
    private CompletableFuture<Boolean> sendRelease(LockClaim claim, int resendsLeft) {
        RedisKeys keys = RedisKeys.of(prefix, claim.key());
        String channel = keys.channel();
        // Our longest-waiting writer on the key, if any: a hand-off to it is announced only in the
        // reply (the script publishes nothing). So when that reply may have been lost, wake our
        // waiters to look again: a failed release, and one answering "not held", which is also
        // what Lettuce's resend of a release whose reply a reconnect lost answers.
        String localTag = claim.type() == LockType.EXCLUSIVE ? notifications.firstHandOffTag(channel) : "";
        CompletableFuture<String> reply = localTag.isEmpty()
                ? scripts.run(RedisScripts.RELEASE, ScriptOutputType.VALUE, keys.scriptKeys(),
                        claim.ownerToken(), kind(claim.type()), channel, fenceRetentionMs)
                : scripts.run(RedisScripts.RELEASE, ScriptOutputType.VALUE, keys.scriptKeys(),
                        claim.ownerToken(), kind(claim.type()), channel, fenceRetentionMs, localTag);
        boolean local = !localTag.isEmpty();
        if (local || resendsLeft > 0) {
            reply.whenComplete((r, e) -> {
                if (local && (e != null || "0".equals(r))) {
                    notifications.wakeAll(channel);
                }
                if (e != null && resendsLeft > 0 && ReleaseResends.connectionLost(e)) {
                    resends.whenReconnected(() -> sendRelease(claim, resendsLeft - 1));
                }
            });
        }
        return reply.thenApply(r -> {
            if (r.length() > 1) {
                // Handed on: if the grantee waits here, complete it now, before our own caller
                // hears back, rather than when (if ever) the message arrives on the pub/sub connection.
                notifications.handedOff(channel, r);
                return true;
            }
            return r.equals("1");
        });
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return renewAll(List.of(request)).thenApply(results -> results.get(0));
    }

    @Override
    public CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        // One script call per slot (Cluster needs it; standalone gets a single group).
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            int slot = clusterClient == null ? 0 : SlotHash.getSlot(RedisKeys.of(prefix, requests.get(i).claim().key()).exclusive());
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(i);
        }
        RenewResult[] results = new RenewResult[requests.size()];
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (List<Integer> group : bySlot.values()) {
            List<String> keys = new ArrayList<>(group.size() * 6);
            List<String> args = new ArrayList<>(group.size() * 3);
            for (int i : group) {
                RenewRequest r = requests.get(i);
                keys.addAll(RedisKeys.of(prefix, r.claim().key()).all());
                args.add(r.claim().ownerToken());
                args.add(kind(r.claim().type()));
                args.add(Long.toString(ttlMillis(r.ttl())));
            }
            calls.add(scripts.<List<Object>>run(RedisScripts.RENEW, ScriptOutputType.MULTI, keys.toArray(String[]::new),
                    args.toArray(String[]::new)).thenAccept(reply -> {
                        for (int j = 0; j < group.size(); j++) {
                            int i = group.get(j);
                            results[i] = ((Long) reply.get(j)) == 1L
                                    ? RenewResult.renewed(requests.get(i).ttl()) : RenewResult.notHeld();
                        }
                    }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> List.of(results));
    }

    @Override
    public CompletableFuture<LockInfo> inspect(String key) {
        RedisKeys keys = RedisKeys.of(prefix, key);
        return scripts.<List<Object>>run(RedisScripts.INSPECT, ScriptOutputType.MULTI, keys.scriptKeys())
                .thenApply(reply -> {
                    String kind = String.valueOf(reply.get(0));
                    long holders = (Long) reply.get(1);
                    long token = (Long) reply.get(2);
                    long remaining = (Long) reply.get(3);
                    long fence = (Long) reply.get(4);
                    if (holders == 0) {
                        return LockInfo.free(key, fence);
                    }
                    return LockInfo.held(key, kind.equals("x") ? LockType.EXCLUSIVE : LockType.SHARED, (int) holders,
                            token, Duration.ofMillis(Math.max(0, remaining)));
                });
    }

    @Override
    public CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        // SCAN, never KEYS: the server is never blocked. On Cluster, Lettuce scans every master.
        String pattern = globEscape(prefix + "{" + RedisKeys.escapeKey(keyPrefix)) + "*";
        java.util.Set<String> userKeys = new java.util.TreeSet<>();
        return scanFrom(io.lettuce.core.ScanCursor.INITIAL, pattern, userKeys, limit)
                .thenCompose(v -> {
                    List<CompletableFuture<LockInfo>> infos = new ArrayList<>();
                    for (String key : userKeys) {
                        infos.add(inspect(key));
                    }
                    return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenApply(x -> {
                        List<LockInfo> held = new ArrayList<>();
                        for (CompletableFuture<LockInfo> f : infos) {
                            LockInfo info = f.join();
                            if (info.held() && held.size() < limit) {
                                held.add(info);
                            }
                        }
                        return held;
                    });
                });
    }

    private CompletableFuture<Void> scanFrom(io.lettuce.core.ScanCursor cursor, String pattern,
            java.util.Set<String> userKeys, int limit) {
        return commands.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(500))
                .toCompletableFuture().thenCompose(page -> {
                    for (String redisKey : page.getKeys()) {
                        String user = RedisKeys.userKey(prefix, redisKey);
                        if (user != null) {
                            userKeys.add(user);
                        }
                    }
                    if (page.isFinished() || userKeys.size() >= limit * 2L) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return scanFrom(page, pattern, userKeys, limit);
                });
    }

    private static String globEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** @return the number of release channels this client is subscribed to, for tests */
    int subscribedChannels() {
        return notifications.subscribedChannels();
    }

    @Override
    public void close() {
        reconnectWatch.dispose();
        CompletableFuture<Void> closing = CompletableFuture.allOf(notifications.closeAsync(), connection.closeAsync());
        try {
            // Let our connections finish closing before the client shuts down underneath them.
            closing.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Closing is best effort; the client shutdown below closes what is left.
        }
        scheduler.shutdownNow();
        if (ownsClient) {
            shutdown(client, clusterClient);
        }
    }

    private static void shutdown(RedisClient client, RedisClusterClient cluster) {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (cluster != null) {
            cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String kind(LockType type) {
        return type == LockType.EXCLUSIVE ? "x" : "s";
    }

    private static long ttlMillis(Duration ttl) {
        long ms = ttl.toMillis();
        return ttl.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Describes the backend without credentials.
     *
     * @return where it connects (password masked) and its key prefix
     */
    @Override
    public String toString() {
        return "RedisLockBackend{" + description + ", keyPrefix='" + prefix + "'}";
    }

    /**
     * Builds a {@link RedisLockBackend}. Give exactly one of: a URI string, a {@link RedisURI},
     * cluster seed URIs, a {@link RedisClient} or a {@link RedisClusterClient} (borrowed: never
     * closed by the backend).
     */
    public static final class Builder {

        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration fenceRetention = DEFAULT_FENCE_RETENTION;
        private Duration commandTimeout;
        private RedisURI redisUri;
        private List<RedisURI> clusterUris;
        private RedisClient client;
        private RedisClusterClient clusterClient;
        private String description;
        private int sources;

        private Builder() {
        }

        /**
         * Connects to a URI: {@code redis://}, {@code rediss://} (TLS) or
         * {@code redis-sentinel://host:port[,host:port]#masterName}, in Lettuce's syntax
         * (password, database, {@code ?timeout=} as Lettuce defines them).
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            try {
                return redisUri(RedisURI.create(uri));
            } catch (IllegalArgumentException e) {
                throw new io.github.distlock.LockConfigurationException("invalid Redis uri '" + Uris.redact(uri) + "': "
                        + e.getMessage());
            }
        }

        /**
         * Connects with a Lettuce {@link RedisURI} (auth, TLS, database, timeouts as Lettuce
         * defines them; a Sentinel URI works too). The backend creates and owns the client.
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder redisUri(RedisURI uri) {
            this.redisUri = Objects.requireNonNull(uri, "uri");
            this.description = Uris.redact(uri.toString());
            sources++;
            return this;
        }

        /**
         * Connects to a Redis Cluster through seed nodes. The backend creates and owns the client.
         *
         * @param seeds one or more cluster nodes
         * @return this builder
         */
        public Builder clusterUris(List<RedisURI> seeds) {
            if (seeds == null || seeds.isEmpty()) {
                throw new InvalidLockArgumentException("clusterUris", "clusterUris must name at least one node, but was " + seeds);
            }
            this.clusterUris = List.copyOf(seeds);
            this.description = "redis-cluster " + seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).toList();
            sources++;
            return this;
        }

        /**
         * Borrows an existing standalone or Sentinel client; the backend opens its own
         * connections on it and closes only those.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            this.description = "redis (borrowed client)";
            sources++;
            return this;
        }

        /**
         * Borrows an existing cluster client; the backend opens its own connections on it and
         * closes only those.
         *
         * @param client the client
         * @return this builder
         */
        public Builder clusterClient(RedisClusterClient client) {
            this.clusterClient = Objects.requireNonNull(client, "client");
            this.description = "redis-cluster (borrowed client)";
            sources++;
            return this;
        }

        /**
         * Sets the prefix of every Redis key the backend writes; use one per application or
         * tenant (an ACL can then restrict a user to {@code ~prefix*}).
         *
         * @param prefix non-blank, without '{' or '}'
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.isBlank() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                throw new InvalidLockArgumentException("keyPrefix",
                        "keyPrefix must be non-blank and contain no '{' or '}', but was " + (prefix == null ? "null" : "'" + prefix + "'"));
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Sets how long a lock's fencing counter lives after its last grant. Every token is at
         * least the server clock in microseconds, so tokens keep increasing after the counter
         * expires unless the server clock steps back.
         *
         * @param retention at least one minute
         * @return this builder
         */
        public Builder fenceRetention(Duration retention) {
            if (retention == null || retention.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new InvalidLockArgumentException("fenceRetention", "fenceRetention must be at least 1 minute, but was " + retention);
            }
            this.fenceRetention = retention;
            return this;
        }

        /**
         * Sets the deadline of every Redis command when the backend creates the client (default:
         * the URI's timeout if it sets one, else {@value #DEFAULT_TIMEOUT_TEXT}).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new InvalidLockArgumentException("commandTimeout", "commandTimeout must be positive, but was " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        private static final String DEFAULT_TIMEOUT_TEXT = "5 s";

        /**
         * Connects and returns the backend.
         *
         * @return the backend
         * @throws LockBackendException if Redis cannot be reached or refuses the credentials
         */
        public RedisLockBackend build() {
            if (sources != 1) {
                throw new InvalidLockArgumentException("uri", "give exactly one of uri, redisUri, clusterUris, client or"
                        + " clusterClient, but " + sources + " were given");
            }
            return new RedisLockBackend(this);
        }
    }
}
