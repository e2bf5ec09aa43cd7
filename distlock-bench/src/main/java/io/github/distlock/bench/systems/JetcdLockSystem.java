package io.github.distlock.bench.systems;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.support.CloseableClient;

/**
 * jetcd's {@code Lock} service (etcd's v3lock RPC) with one lease shared by every lock of the
 * client, kept alive by one keep-alive: the usual way to use it. A cycle is {@code lock(name,
 * lease)} (the server waits while the name is held) and {@code unlock(key)}. Lock calls wait at
 * most {@link DistlockSystem#WAIT_LIMIT}, other calls the run's operation timeout.
 */
public final class JetcdLockSystem implements BenchSystem {

    private final Jetcd jetcd;
    private final Lock lockClient;
    private final long leaseId;
    private final CloseableClient keepAlive;

    /**
     * Connects and grants the shared lease.
     *
     * @param endpoint the etcd client URL
     * @param config the lease TTL ({@link SystemConfig#renewTtl()}) and deadlines
     * @throws Exception if etcd does not answer
     */
    public JetcdLockSystem(String endpoint, SystemConfig config) throws Exception {
        this.jetcd = new Jetcd(endpoint, config.operationTimeout());
        this.lockClient = jetcd.client.getLockClient();
        this.leaseId = jetcd.grant(config.renewTtl());
        this.keepAlive = jetcd.keepAlive(leaseId);
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("jetcd Lock has no read-write locks");
        }
        ByteSequence lockKey = Jetcd.await(lockClient.lock(Jetcd.bytes("/bench/lock/" + key), leaseId),
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
        keepAlive.close();
        jetcd.revokeQuietly(leaseId);
        jetcd.close();
    }
}
