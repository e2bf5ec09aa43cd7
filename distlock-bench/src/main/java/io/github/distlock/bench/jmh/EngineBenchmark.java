package io.github.distlock.bench.jmh;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The core engine's acquire/release path on the in-memory backend, whose store costs little, so
 * the engine's own cost shows: argument checks, owner-token minting, the acquire operation and
 * its futures, lease creation, watchdog tracking (with {@code autoRenew}), release. Random keys
 * from a 100,000-key space, so threads rarely contend on a key, only on the engine's shared
 * structures and the store's lock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    /** Whether the watchdog tracks the leases (distlock's default) or they have a fixed TTL. */
    @Param({"true", "false"})
    public boolean autoRenew;

    /**
     * The wait timeout of {@code acquire}: distlock's default ({@code forever}) or a finite one
     * ({@code 1m}); they take different paths when the deadline is computed.
     */
    @Param({"forever", "1m"})
    public String waitTimeout;

    private static final String[] KEYS = new String[100_000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "k" + i;
        }
    }

    private DistributedLock locks;
    private LockOptions options;

    /** Opens a client on a fresh in-memory store. */
    @Setup(Level.Trial)
    public void open() {
        locks = DistributedLocks.open("mem:jmh-" + UUID.randomUUID());
        LockOptions.Builder b = LockOptions.builder().ttl(Duration.ofSeconds(30)).autoRenew(autoRenew);
        if (!waitTimeout.equals("forever")) {
            b.waitTimeout(Duration.ofMinutes(1));
        }
        options = b.build();
    }

    /** Closes the client. */
    @TearDown(Level.Trial)
    public void close() {
        locks.close();
    }

    /**
     * One acquire + release on one thread.
     *
     * @return the fencing token, so the work is not eliminated
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Threads(1)
    public long acquireRelease1Thread() throws InterruptedException {
        return cycle();
    }

    /**
     * One acquire + release, four threads at once.
     *
     * @return the fencing token
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Threads(4)
    public long acquireRelease4Threads() throws InterruptedException {
        return cycle();
    }

    /**
     * The thread-bound API: {@code lock(key)} + {@code unlock(key)} on one thread (adds the
     * per-thread hold map).
     *
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Threads(1)
    public void lockUnlock1Thread() throws InterruptedException {
        String key = KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)];
        locks.lock(key, options);
        locks.unlock(key);
    }

    private long cycle() throws InterruptedException {
        LockLease lease = locks.acquire(KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)], options);
        long token = lease.fencingToken();
        lease.release();
        return token;
    }
}
