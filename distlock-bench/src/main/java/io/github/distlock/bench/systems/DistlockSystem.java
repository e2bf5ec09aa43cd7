package io.github.distlock.bench.systems;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.time.Duration;
import java.util.Objects;

/**
 * A distlock client measured through its public handle API, the way an application uses it:
 * {@link DistributedLock#acquire(String, LockOptions)} then {@link LockLease#release()}. Works for
 * every distlock backend, so a new backend is measured by opening its {@link DistributedLock}
 * (see {@link SystemCatalog}).
 *
 * <p>With {@code watchdog} the cycles' locks are auto-renewed with the run's
 * {@link SystemConfig#renewTtl()} (distlock's default mode, like Redisson's {@code lock()});
 * without it they have the explicit {@link SystemConfig#fixedTtl()} and no renewal. Waiting uses
 * the default wait timeout (forever, like {@code RLock.lock()}): the harness interrupts a worker
 * that does not stop, and {@code acquire} honours interrupts.
 */
public final class DistlockSystem implements BenchSystem {

    /**
     * How long the peers that take a wait timeout (jetcd, Curator, the raw ceilings) wait for a
     * busy lock before the run reports an error.
     */
    public static final Duration WAIT_LIMIT = Duration.ofMinutes(1);

    private final DistributedLock locks;
    private final LockOptions exclusive;
    private final LockOptions shared;
    private final LockOptions renewed;

    /**
     * Wraps an open client; {@link #close()} closes it.
     *
     * @param locks the client
     * @param config TTLs of this run
     * @param watchdog whether cycle locks are auto-renewed (else explicit TTL)
     */
    public DistlockSystem(DistributedLock locks, SystemConfig config, boolean watchdog) {
        this.locks = Objects.requireNonNull(locks, "locks");
        LockOptions base = LockOptions.builder()
                .ttl(watchdog ? config.renewTtl() : config.fixedTtl())
                .autoRenew(watchdog)
                .build();
        this.exclusive = base;
        this.shared = base.toBuilder().lockType(LockType.SHARED).build();
        this.renewed = base.toBuilder().ttl(config.renewTtl()).autoRenew(true).build();
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        LockLease lease = locks.acquire(key, mode == LockMode.READ ? shared : exclusive);
        return lease::release;
    }

    @Override
    public Held lockRenewed(String key) throws Exception {
        LockLease lease = locks.acquire(key, renewed);
        return lease::release;
    }

    @Override
    public void close() {
        locks.close();
    }
}
