package io.github.distlock.bench.systems;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.kv.TxnResponse;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw jetcd ceiling: the least work any correct etcd lock does. One shared lease kept alive
 * by one keep-alive; acquire is the transaction "create revision == 0, then put with the lease";
 * release is the owner-checked transaction "create revision == mine, then delete". Two Raft
 * writes per cycle, no fencing bookkeeping, no waiting (a busy key is retried after a
 * millisecond).
 */
public final class JetcdRawSystem implements BenchSystem {

    private final Jetcd jetcd;
    private final KV kv;
    private final long leaseId;
    private final CloseableClient keepAlive;
    private final ByteSequence owner = Jetcd.bytes("bench-owner");

    /**
     * Connects and grants the shared lease.
     *
     * @param endpoint the etcd client URL
     * @param config the lease TTL ({@link SystemConfig#renewTtl()}) and deadlines
     * @throws Exception if etcd does not answer
     */
    public JetcdRawSystem(String endpoint, SystemConfig config) throws Exception {
        this.jetcd = new Jetcd(endpoint, config.operationTimeout());
        this.kv = jetcd.client.getKVClient();
        this.leaseId = jetcd.grant(config.renewTtl());
        this.keepAlive = jetcd.keepAlive(leaseId);
    }

    @Override
    public Held lock(String key, LockMode mode) throws Exception {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("the raw ceiling has no read-write locks");
        }
        ByteSequence k = Jetcd.bytes("/bench/raw/" + key);
        long deadline = System.nanoTime() + DistlockSystem.WAIT_LIMIT.toNanos();
        TxnResponse granted;
        while (!(granted = jetcd.await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, owner, PutOption.builder().withLeaseId(leaseId).build()))
                .commit())).isSucceeded()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("'" + key + "' stayed busy for " + DistlockSystem.WAIT_LIMIT);
            }
            LockSupport.parkNanos(1_000_000);
        }
        // The put is the transaction's only write, so its revision is the key's create revision.
        long createRevision = granted.getHeader().getRevision();
        return () -> jetcd.await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit()).isSucceeded();
    }

    @Override
    public Held lockRenewed(String key) {
        throw new UnsupportedOperationException("the raw ceiling is not in the held-locks scenario");
    }

    @Override
    public void close() {
        keepAlive.close();
        jetcd.revokeQuietly(leaseId);
        jetcd.close();
    }
}
