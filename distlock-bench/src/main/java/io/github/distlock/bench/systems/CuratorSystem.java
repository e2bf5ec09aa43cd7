package io.github.distlock.bench.systems;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.retry.RetryNTimes;

/**
 * Curator's {@code InterProcessMutex} (and {@code InterProcessReadWriteLock}) on the harness's
 * in-process ZooKeeper, for reference: another store, so it gets no ratio. ZooKeeper has no
 * per-lock TTL: locks are ephemeral nodes of the session, which the client keeps alive with a
 * ping every third of the session timeout; the session timeout is the run's
 * {@link SystemConfig#renewTtl()}. Waiting is bounded by {@link DistlockSystem#WAIT_LIMIT}.
 */
public final class CuratorSystem implements BenchSystem {

    private final CuratorFramework client;

    /**
     * Connects and waits for the session.
     *
     * @param connectString the ZooKeeper address
     * @param config the session timeout ({@link SystemConfig#renewTtl()}) and deadlines
     * @throws Exception if ZooKeeper does not answer
     */
    public CuratorSystem(String connectString, SystemConfig config) throws Exception {
        this.client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) config.renewTtl().toMillis())
                .connectionTimeoutMs((int) Math.min(config.operationTimeout().toMillis(), config.renewTtl().toMillis()))
                .retryPolicy(new RetryNTimes(3, 100))
                .build();
        client.start();
        if (!client.blockUntilConnected((int) config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new TimeoutException("ZooKeeper at " + connectString + " did not connect");
        }
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        String path = "/bench/" + key;
        InterProcessLock lock = switch (mode) {
            case EXCLUSIVE -> new InterProcessMutex(client, path);
            case READ -> new InterProcessReadWriteLock(client, path).readLock();
            case WRITE -> new InterProcessReadWriteLock(client, path).writeLock();
        };
        if (!lock.acquire(DistlockSystem.WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("'" + key + "' stayed busy for " + DistlockSystem.WAIT_LIMIT);
        }
        return () -> {
            lock.release();
            return true;
        };
    }

    @Override
    public Held lockRenewed(String key) throws Exception {
        return lock(key, LockMode.EXCLUSIVE);
    }

    @Override
    public void close() {
        client.close();
    }
}
