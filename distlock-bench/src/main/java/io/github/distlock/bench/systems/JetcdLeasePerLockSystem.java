package io.github.distlock.bench.systems;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import java.util.concurrent.locks.LockSupport;

/**
 * The brief's etcd design, one lease per lock: grant a lease, take the key with the transaction
 * "create revision == 0, then put with the lease, else get", and release by revoking the lease
 * (which deletes the key): three Raft writes per cycle. Cycle locks have the explicit
 * {@link SystemConfig#fixedTtl()} and no keep-alive; the held-locks scenario keeps each lock's
 * lease alive ({@link SystemConfig#renewTtl()}), as the design renews. A busy key is retried after
 * a millisecond, keeping the lease.
 */
public final class JetcdLeasePerLockSystem implements BenchSystem {

    private final Jetcd jetcd;
    private final KV kv;
    private final SystemConfig config;
    private final ByteSequence owner = Jetcd.bytes("bench-owner");

    /**
     * Connects.
     *
     * @param endpoint the etcd client URL
     * @param config TTLs and deadlines
     */
    public JetcdLeasePerLockSystem(String endpoint, SystemConfig config) {
        this.jetcd = new Jetcd(endpoint, config.operationTimeout());
        this.kv = jetcd.client.getKVClient();
        this.config = config;
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("the lease-per-lock design has no read-write locks");
        }
        long lease = jetcd.grant(config.fixedTtl());
        take(key, lease);
        return () -> {
            jetcd.await(jetcd.client.getLeaseClient().revoke(lease));
            return true;
        };
    }

    @Override
    public Held lockRenewed(String key) throws Exception {
        long lease = jetcd.grant(config.renewTtl());
        CloseableClient keepAlive = jetcd.keepAlive(lease);
        take(key, lease);
        return () -> {
            keepAlive.close();
            jetcd.await(jetcd.client.getLeaseClient().revoke(lease));
            return true;
        };
    }

    private void take(String key, long lease) throws Exception {
        ByteSequence k = Jetcd.bytes("/bench/lpl/" + key);
        long deadline = System.nanoTime() + DistlockSystem.WAIT_LIMIT.toNanos();
        while (!jetcd.await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, owner, PutOption.builder().withLeaseId(lease).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit()).isSucceeded()) {
            if (System.nanoTime() > deadline) {
                jetcd.revokeQuietly(lease);
                throw new IllegalStateException("'" + key + "' stayed busy for " + DistlockSystem.WAIT_LIMIT);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close() {
        jetcd.close();
    }
}
