package io.github.distlock.bench.systems;

import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's {@code RLock} (and {@code RReadWriteLock} for shared locks) with Redisson's default
 * client configuration, except that {@code lockWatchdogTimeout} is the run's
 * {@link SystemConfig#renewTtl()} (30 s, Redisson's default, in the throughput scenarios; 3 s in
 * the held-locks scenario, the same TTL distlock gets). Cycles use
 * {@code lockInterruptibly()}: the watchdog mode of {@code lock()}, but a stuck run can be
 * interrupted. {@code RLock} is bound to the acquiring thread, which the harness respects.
 */
public final class RedissonSystem implements BenchSystem {

    private final RedissonClient redisson;

    /**
     * Connects.
     *
     * @param uri the Redis URI
     * @param config the watchdog TTL
     */
    public RedissonSystem(String uri, SystemConfig config) {
        Config c = new Config();
        c.useSingleServer().setAddress(uri);
        c.setLockWatchdogTimeout(config.renewTtl().toMillis());
        this.redisson = Redisson.create(c);
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        RLock lock = switch (mode) {
            case EXCLUSIVE -> redisson.getLock(key);
            case READ -> redisson.getReadWriteLock(key).readLock();
            case WRITE -> redisson.getReadWriteLock(key).writeLock();
        };
        lock.lockInterruptibly();
        return () -> unlock(lock);
    }

    @Override
    public Held lockRenewed(String key) throws Exception {
        RLock lock = redisson.getLock(key);
        lock.lockInterruptibly();
        return () -> unlock(lock);
    }

    private static boolean unlock(RLock lock) {
        try {
            lock.unlock();
            return true;
        } catch (IllegalMonitorStateException notHeld) {
            return false;
        }
    }

    @Override
    public void close() {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
