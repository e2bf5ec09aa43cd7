package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.distlock.LockInfo;
import io.github.distlock.LockType;
import io.github.distlock.etcd.EtcdLockStrategy;
import io.github.distlock.spi.LockClaim;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Strategy {@link EtcdLockStrategy#MUTEX}: Go's {@code concurrency.Mutex} on the client, extended
 * to readers like {@code recipes.RWMutex}. Every contender puts its own key under the lock's
 * queue prefix; keys are ordered by create revision.
 *
 * <ul>
 *   <li>A writer holds the lock when no queue key is older than its own; a reader when no
 *       <em>writer</em> key is older. So readers share the lock, and a queued writer blocks every
 *       reader that came after it (writers are not starved).</li>
 *   <li>The first attempt is one transaction: {@code If(createRevision(own) == 0) Then(put own;
 *       get the newest blockers) Else(get own)}; the owner's key is the newest, so the next
 *       newest blocker is its predecessor.</li>
 *   <li>Later attempts check that the entry still exists at the same revision and read the
 *       predecessor (the newest blocker with a smaller create revision) in one transaction;
 *       a missing entry means the lease carrying it ended while queued.</li>
 *   <li>A waiter watches only its predecessor's deletion (no thundering herd).</li>
 * </ul>
 * The fencing token is the create revision of the owner's key.
 */
final class MutexDriver implements StrategyDriver {

    private static final GetOption ALL_BY_AGE = GetOption.builder().isPrefix(true)
            .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.ASCEND).build();

    private final EtcdOps ops;
    private final KeyLayout layout;

    MutexDriver(EtcdOps ops, KeyLayout layout) {
        this.ops = ops;
        this.layout = layout;
    }

    @Override
    public ByteSequence ownKey(LockClaim claim) {
        return layout.ownKey(EtcdLockStrategy.MUTEX, claim);
    }

    @Override
    public boolean watchesFromNow() {
        return true;
    }

    @Override
    public boolean ownKeyNamesTheOwner(LockClaim claim) {
        return true;
    }

    private ByteSequence blockers(LockClaim claim) {
        return claim.type() == LockType.EXCLUSIVE ? layout.queueDir(claim.key()) : layout.queueWriterDir(claim.key());
    }

    @Override
    public CompletableFuture<AttemptOutcome> attempt(LockClaim claim, long leaseId, long queuedRevision) {
        return queuedRevision > 0 ? recheck(claim, queuedRevision) : enqueue(claim, leaseId);
    }

    private CompletableFuture<AttemptOutcome> enqueue(LockClaim claim, long leaseId) {
        ByteSequence own = ownKey(claim);
        ByteSequence owner = TxnDriver.value(claim.ownerToken());
        // A writer's own key is among its blockers (the newest); a reader's is not.
        int limit = claim.type() == LockType.EXCLUSIVE ? 2 : 1;
        GetOption newest = GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(limit)
                .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.DESCEND).build();
        return ops.txn(
                List.of(EtcdOps.absent(own)),
                List.of(Op.put(own, owner, PutOption.builder().withLeaseId(leaseId).build()),
                        Op.get(blockers(claim), newest)),
                List.of(Op.get(own, GetOption.DEFAULT)))
                .thenCompose(r -> {
                    long header = r.getHeader().getRevision();
                    if (!r.isSucceeded()) {
                        // Our key exists already: an earlier attempt of this owner was applied.
                        KeyValue mine = TxnDriver.first(r.getGetResponses().get(0));
                        if (mine == null || !mine.getValue().equals(owner)) {
                            return CompletableFuture.completedFuture(AttemptOutcome.entryLost(header));
                        }
                        return recheck(claim, mine.getCreateRevision());
                    }
                    long mine = header;
                    for (KeyValue kv : r.getGetResponses().get(0).getKvs()) {
                        if (kv.getCreateRevision() < mine) {
                            return CompletableFuture.completedFuture(AttemptOutcome.queued(mine, kv.getKey(), false, header));
                        }
                    }
                    return CompletableFuture.completedFuture(AttemptOutcome.granted(mine, header));
                });
    }

    private CompletableFuture<AttemptOutcome> recheck(LockClaim claim, long mine) {
        ByteSequence own = ownKey(claim);
        GetOption predecessor = GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(1)
                .withMaxCreateRevision(mine - 1)
                .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.DESCEND).build();
        return ops.txn(
                List.of(EtcdOps.createdAt(own, mine)),
                List.of(Op.get(blockers(claim), predecessor)),
                List.of())
                .thenApply(r -> {
                    long header = r.getHeader().getRevision();
                    if (!r.isSucceeded()) {
                        return AttemptOutcome.entryLost(header);
                    }
                    KeyValue pred = TxnDriver.first(r.getGetResponses().get(0));
                    return pred == null
                            ? AttemptOutcome.granted(mine, header)
                            : AttemptOutcome.queued(mine, pred.getKey(), false, header);
                });
    }

    @Override
    public CompletableFuture<Snapshot> inspect(String key) {
        return ops.get(layout.queueDir(key), ALL_BY_AGE).thenApply(r -> snapshot(key, r.getKvs()));
    }

    @Override
    public Snapshot interpret(String key, List<KeyValue> keys) {
        ByteSequence dir = layout.queueDir(key);
        List<KeyValue> queue = new java.util.ArrayList<>();
        for (KeyValue kv : keys) {
            if (kv.getKey().startsWith(dir)) {
                queue.add(kv);
            }
        }
        queue.sort(java.util.Comparator.comparingLong(KeyValue::getCreateRevision));
        return snapshot(key, queue);
    }

    private static Snapshot snapshot(String key, List<KeyValue> queue) {
        {
            Set<Long> leases = new HashSet<>();
            if (queue.isEmpty()) {
                return new Snapshot(LockInfo.free(key, 0), leases);
            }
            KeyValue first = queue.get(0);
            if (KeyLayout.isQueueWriter(first.getKey())) {
                leases.add(first.getLease());
                return new Snapshot(LockInfo.held(key, LockType.EXCLUSIVE, 1, first.getCreateRevision(), Duration.ZERO),
                        leases);
            }
            int readers = 0;
            long token = 0;
            for (KeyValue kv : queue) {
                if (KeyLayout.isQueueWriter(kv.getKey())) {
                    break;
                }
                readers++;
                token = Math.max(token, kv.getCreateRevision());
                leases.add(kv.getLease());
            }
            return new Snapshot(LockInfo.held(key, LockType.SHARED, readers, token, Duration.ZERO), leases);
        }
    }
}
