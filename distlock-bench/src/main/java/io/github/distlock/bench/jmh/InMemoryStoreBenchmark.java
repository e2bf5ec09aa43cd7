package io.github.distlock.bench.jmh;

import io.github.distlock.LockType;
import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-memory store's operations through its backend SPI, without the engine: exclusive and
 * shared acquire + release, renewal of a held lock, inspection. The store keeps all keys behind
 * one lock, so the four-thread variant shows how it scales.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryStoreBenchmark {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final String[] KEYS = new String[100_000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "k" + i;
        }
    }

    private final AtomicLong owners = new AtomicLong();
    private InMemoryLockBackend backend;
    private LockClaim heldClaim;

    /**
     * Creates a fresh store and takes one lock to renew.
     *
     * @throws Exception never in practice
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        backend = new InMemoryLockBackend(new InMemoryLockStore(Clock.systemUTC()));
        heldClaim = new LockClaim("held", LockType.EXCLUSIVE, "held-owner");
        backend.tryAcquire(new AcquireRequest(heldClaim, TTL, true, false)).get();
    }

    /**
     * Exclusive acquire + release on one thread.
     *
     * @return whether the release found the lock
     * @throws Exception never in practice
     */
    @Benchmark
    @Threads(1)
    public boolean exclusive1Thread() throws Exception {
        return cycle(LockType.EXCLUSIVE);
    }

    /**
     * Exclusive acquire + release, four threads.
     *
     * @return whether the release found the lock
     * @throws Exception never in practice
     */
    @Benchmark
    @Threads(4)
    public boolean exclusive4Threads() throws Exception {
        return cycle(LockType.EXCLUSIVE);
    }

    /**
     * Shared acquire + release on one thread.
     *
     * @return whether the release found the lock
     * @throws Exception never in practice
     */
    @Benchmark
    @Threads(1)
    public boolean shared1Thread() throws Exception {
        return cycle(LockType.SHARED);
    }

    /**
     * Renewal of a held lock.
     *
     * @return the result
     * @throws Exception never in practice
     */
    @Benchmark
    @Threads(1)
    public Object renew() throws Exception {
        return backend.renew(new RenewRequest(heldClaim, TTL)).get();
    }

    /**
     * Inspection of a held lock.
     *
     * @return the info
     * @throws Exception never in practice
     */
    @Benchmark
    @Threads(1)
    public Object inspect() throws Exception {
        return backend.inspect("held").get();
    }

    private boolean cycle(LockType type) throws Exception {
        String key = KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)];
        LockClaim claim = new LockClaim(key, type, Long.toString(owners.incrementAndGet(), 36));
        AcquireResult result = backend.tryAcquire(new AcquireRequest(claim, TTL, false, false)).get();
        return result instanceof AcquireResult.Acquired && backend.release(claim).get();
    }
}
