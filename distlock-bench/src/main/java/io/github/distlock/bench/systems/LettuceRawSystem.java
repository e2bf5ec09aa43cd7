package io.github.distlock.bench.systems;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw Lettuce ceiling: the least work any correct Redis lock does from the JVM. Sync calls
 * on one shared connection (Lettuce pipelines the threads' commands on it): one
 * {@code SET key token NX PX ttl} to acquire and one owner-checked delete script
 * ({@code EVALSHA}) to release. No fencing, no renewal, no waiting: a busy key is retried after
 * 100 µs, which on a 100,000-key space almost never happens.
 */
public final class LettuceRawSystem implements BenchSystem {

    /** The owner-checked delete every correct Redis lock needs. */
    static final String RELEASE_SCRIPT =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> sync;
    private final String releaseSha;
    private final SetArgs setArgs;
    private final String tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private final AtomicLong tokens = new AtomicLong();

    /**
     * Connects.
     *
     * @param uri the Redis URI
     * @param config TTL and deadline
     */
    public LettuceRawSystem(String uri, SystemConfig config) {
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(config.operationTimeout())).build());
        this.connection = client.connect();
        this.sync = connection.sync();
        this.releaseSha = sync.scriptLoad(RELEASE_SCRIPT);
        this.setArgs = SetArgs.Builder.nx().px(config.fixedTtl().toMillis());
    }

    @Override
    public Held lock(String key, LockMode mode) {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("the raw ceiling has no read-write locks");
        }
        String token = tokenPrefix + tokens.incrementAndGet();
        while (!"OK".equals(sync.set(key, token, setArgs))) {
            LockSupport.parkNanos(Duration.ofNanos(100_000).toNanos());
        }
        return () -> {
            Long deleted = sync.evalsha(releaseSha, ScriptOutputType.INTEGER, new String[] {key}, token);
            return deleted != null && deleted == 1L;
        };
    }

    @Override
    public Held lockRenewed(String key) {
        throw new UnsupportedOperationException("the raw ceiling does not renew");
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
