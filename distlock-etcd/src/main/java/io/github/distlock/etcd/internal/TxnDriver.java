package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.distlock.LockInfo;
import io.github.distlock.LockType;
import io.github.distlock.etcd.EtcdLockStrategy;
import io.github.distlock.spi.LockClaim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Strategy {@link EtcdLockStrategy#TXN}: one key per lock.
 *
 * <ul>
 *   <li>Exclusive: {@code If(createRevision(K) == 0) Then(put K=owner with lease; get readers)
 *       Else(get K; get readers)}. The owner holds the lock when K carries its value and no
 *       reader key exists. When K is the owner's but readers still hold the lock, K stays as a
 *       waiting-writer marker (new readers wait behind it, so writers are not starved) and the
 *       owner watches the reader keys' deletions.</li>
 *   <li>Shared: {@code If(createRevision(K) == 0, createRevision(R) == 0) Then(put R=owner)
 *       Else(get K; get R)} with R the owner's reader key under K.</li>
 * </ul>
 * The fencing token is the create revision of K (exclusive) or R (shared).
 */
final class TxnDriver implements StrategyDriver {

    private static final GetOption ANY_ONE = GetOption.builder().isPrefix(true).withLimit(1).withKeysOnly(true).build();
    private static final GetOption ALL_PREFIX = GetOption.builder().isPrefix(true).build();

    private final EtcdOps ops;
    private final KeyLayout layout;

    TxnDriver(EtcdOps ops, KeyLayout layout) {
        this.ops = ops;
        this.layout = layout;
    }

    @Override
    public ByteSequence ownKey(LockClaim claim) {
        return layout.ownKey(EtcdLockStrategy.TXN, claim);
    }

    @Override
    public boolean watchesFromNow() {
        return false;
    }

    @Override
    public boolean ownKeyNamesTheOwner(LockClaim claim) {
        return claim.type() == LockType.SHARED;
    }

    @Override
    public CompletableFuture<AttemptOutcome> attempt(LockClaim claim, long leaseId, long queuedRevision) {
        return claim.type() == LockType.EXCLUSIVE ? exclusive(claim, leaseId) : shared(claim, leaseId);
    }

    private CompletableFuture<AttemptOutcome> exclusive(LockClaim claim, long leaseId) {
        ByteSequence k = layout.txnKey(claim.key());
        ByteSequence readers = layout.txnReaderDir(claim.key());
        ByteSequence owner = value(claim.ownerToken());
        return ops.txn(
                List.of(EtcdOps.absent(k)),
                List.of(Op.put(k, owner, PutOption.builder().withLeaseId(leaseId).build()), Op.get(readers, ANY_ONE)),
                List.of(Op.get(k, GetOption.DEFAULT), Op.get(readers, ANY_ONE)))
                .thenApply(r -> {
                    long header = r.getHeader().getRevision();
                    List<GetResponse> gets = r.getGetResponses();
                    long mine;
                    GetResponse readerKeys;
                    if (r.isSucceeded()) {
                        mine = header;
                        readerKeys = gets.get(0);
                    } else {
                        KeyValue holder = first(gets.get(0));
                        readerKeys = gets.get(1);
                        if (holder == null || !holder.getValue().equals(owner)) {
                            return AttemptOutcome.blocked(k, false, header);
                        }
                        mine = holder.getCreateRevision();
                    }
                    return readerKeys.getKvs().isEmpty()
                            ? AttemptOutcome.granted(mine, header)
                            : AttemptOutcome.queued(mine, readers, true, header);
                });
    }

    private CompletableFuture<AttemptOutcome> shared(LockClaim claim, long leaseId) {
        ByteSequence k = layout.txnKey(claim.key());
        ByteSequence mineKey = ownKey(claim);
        ByteSequence owner = value(claim.ownerToken());
        return ops.txn(
                List.of(EtcdOps.absent(k), EtcdOps.absent(mineKey)),
                List.of(Op.put(mineKey, owner, PutOption.builder().withLeaseId(leaseId).build())),
                List.of(Op.get(k, GetOption.DEFAULT), Op.get(mineKey, GetOption.DEFAULT)))
                .thenApply(r -> {
                    long header = r.getHeader().getRevision();
                    if (r.isSucceeded()) {
                        return AttemptOutcome.granted(header, header);
                    }
                    KeyValue mine = first(r.getGetResponses().get(1));
                    if (mine != null && mine.getValue().equals(owner)) {
                        return AttemptOutcome.granted(mine.getCreateRevision(), header);
                    }
                    return AttemptOutcome.blocked(k, false, header);
                });
    }

    @Override
    public CompletableFuture<Snapshot> inspect(String key) {
        ByteSequence k = layout.txnKey(key);
        ByteSequence readers = layout.txnReaderDir(key);
        return ops.txn(List.of(), List.of(Op.get(k, GetOption.DEFAULT), Op.get(readers, ALL_PREFIX)), List.of())
                .thenApply(r -> snapshot(key, first(r.getGetResponses().get(0)), r.getGetResponses().get(1).getKvs()));
    }

    @Override
    public Snapshot interpret(String key, List<KeyValue> keys) {
        ByteSequence k = layout.txnKey(key);
        ByteSequence readerDir = layout.txnReaderDir(key);
        KeyValue holder = null;
        List<KeyValue> readers = new java.util.ArrayList<>();
        for (KeyValue kv : keys) {
            if (kv.getKey().equals(k)) {
                holder = kv;
            } else if (kv.getKey().startsWith(readerDir)) {
                readers.add(kv);
            }
        }
        return snapshot(key, holder, readers);
    }

    private static Snapshot snapshot(String key, KeyValue holder, List<KeyValue> readers) {
        Set<Long> leases = new HashSet<>();
        if (!readers.isEmpty()) {
            long token = 0;
            for (KeyValue kv : readers) {
                token = Math.max(token, kv.getCreateRevision());
                leases.add(kv.getLease());
            }
            return new Snapshot(LockInfo.held(key, LockType.SHARED, readers.size(), token, Duration.ZERO), leases);
        }
        if (holder != null) {
            leases.add(holder.getLease());
            return new Snapshot(LockInfo.held(key, LockType.EXCLUSIVE, 1, holder.getCreateRevision(), Duration.ZERO), leases);
        }
        return new Snapshot(LockInfo.free(key, 0), leases);
    }

    static KeyValue first(GetResponse r) {
        return r.getKvs().isEmpty() ? null : r.getKvs().get(0);
    }

    static ByteSequence value(String owner) {
        return ByteSequence.from(owner, StandardCharsets.UTF_8);
    }
}
