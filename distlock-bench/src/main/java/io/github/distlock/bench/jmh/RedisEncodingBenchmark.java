package io.github.distlock.bench.jmh;

import io.github.distlock.redis.internal.RedisKeys;
import io.github.distlock.redis.internal.RedisScripts;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Redis backend's client-side encoding of one acquire: the lock's keys
 * ({@link RedisKeys#of}, with and without characters to escape), the {@code EVALSHA} argument
 * arrays as {@code RedisLockBackend} builds them (owner token, kind, TTL, wait flag, fence
 * retention), and Lettuce's encoding of the whole command to RESP bytes, which its event loop
 * does for every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RedisEncodingBenchmark {

    private static final String PREFIX = "lock:";
    private static final String OWNER = "3f2a9c0e5b7d41a8b6c2e9f01d4a7b3c";
    private static final String[] KEYS = new String[1024];
    private static final String[] ESCAPED_KEYS = new String[1024];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "orders/" + (100_000 + i);
            ESCAPED_KEYS[i] = "orders/{tenant-" + i + "}/%" + i;
        }
    }

    private ByteBuf buffer;

    /** Allocates the reusable output buffer. */
    @Setup(Level.Trial)
    public void allocate() {
        buffer = Unpooled.buffer(4096);
    }

    /**
     * The five keys of a plain lock name.
     *
     * @return the keys
     */
    @Benchmark
    public String[] keys() {
        return RedisKeys.of(PREFIX, KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)]).scriptKeys();
    }

    /**
     * The five keys of a name with braces and percent signs, which are escaped.
     *
     * @return the keys
     */
    @Benchmark
    public String[] keysEscaped() {
        return RedisKeys.of(PREFIX, ESCAPED_KEYS[ThreadLocalRandom.current().nextInt(ESCAPED_KEYS.length)]).scriptKeys();
    }

    /**
     * The keys and argument arrays of one acquire call.
     *
     * @return the arguments (keys are reachable through them for the JIT's escape analysis)
     */
    @Benchmark
    public Object[] acquireArguments() {
        return arguments();
    }

    /**
     * The acquire's {@code EVALSHA} command encoded to RESP by Lettuce, into a reused buffer.
     *
     * @return the encoded length
     */
    @Benchmark
    public int acquireEncoded() {
        Object[] a = arguments();
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
                .add(RedisScripts.ACQUIRE.sha())
                .add(((String[]) a[0]).length)
                .addKeys((String[]) a[0])
                .addValues((String[]) a[1]);
        buffer.clear();
        args.encode(buffer);
        return buffer.readableBytes();
    }

    private static Object[] arguments() {
        RedisKeys keys = RedisKeys.of(PREFIX, KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)]);
        String[] keyArray = keys.scriptKeys();
        String[] args = {OWNER, "x", Long.toString(30_000L), "1", Long.toString(86_400_000L)};
        return new Object[] {keyArray, args};
    }
}
