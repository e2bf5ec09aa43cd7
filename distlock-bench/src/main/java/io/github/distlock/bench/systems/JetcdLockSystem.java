package io.github.distlock.bench.systems;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.support.CloseableClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * jetcd's {@code Lock} service (etcd's v3lock RPC) with one lease per calling thread, shared by
 * every lock that thread takes and kept alive: the usual way to use it. A cycle is
 * {@code lock(name, lease)} (the server waits while the name is held) and {@code unlock(key)}.
 * Lock calls wait at most {@link DistlockSystem#WAIT_LIMIT}, other calls the run's operation
 * timeout.
 *
 * <p>Not one lease for the whole client: v3lock's key is {@code name/leaseId}, so a second
 * {@code lock} of a held name with the same lease finds its own key and returns at once. Threads
 * sharing a lease would not exclude each other, and the hot-key run would measure hand-offs
 * without contention.
 */
public final class JetcdLockSystem implements BenchSystem {

    private final Jetcd jetcd;
    private final Lock lockClient;
    private final SystemConfig config;
    /** The lease of each thread that locked, by thread id. */
    private final Map<Long, Long> leases = new ConcurrentHashMap<>();
    private final List<CloseableClient> keepAlives = new CopyOnWriteArrayList<>();

    /**
     * Connects; each thread's lease is granted on its first lock.
     *
     * @param endpoint the etcd client URL
     * @param config the lease TTL ({@link SystemConfig#renewTtl()}) and deadlines
     * @throws Exception if etcd does not answer
     */
    public JetcdLockSystem(String endpoint, SystemConfig config) throws Exception {
        this.jetcd = new Jetcd(endpoint, config.operationTimeout());
        this.lockClient = jetcd.client.getLockClient();
        this.config = config;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
    private long leaseOfThisThread() throws Exception {
        long thread = Thread.currentThread().getId();
        Long lease = leases.get(thread);
        if (lease == null) {
            lease = jetcd.grant(config.renewTtl());
            keepAlives.add(jetcd.keepAlive(lease));
            leases.put(thread, lease);
        }
        return lease;
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("jetcd Lock has no read-write locks");
        }
        ByteSequence lockKey = Jetcd.await(lockClient.lock(Jetcd.bytes("/bench/lock/" + key), leaseOfThisThread()),
                DistlockSystem.WAIT_LIMIT).getKey();
        return () -> {
            jetcd.await(lockClient.unlock(lockKey));
            return true;
        };
    }

    @Override
    public Held lockRenewed(String key) throws Exception {
        return lock(key, LockMode.EXCLUSIVE);
    }

    @Override
    public void close() {
        keepAlives.forEach(CloseableClient::close);
        leases.values().forEach(jetcd::revokeQuietly);
        jetcd.close();
    }
}
