package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Renewal. etcd leases have a fixed TTL, so:
 *
 * <ul>
 *   <li>A lock on a session lease is renewed by refreshing the session lease; a batch of such
 *       locks costs one lease refresh per session, whatever its size. A lost session
 *       means every lock on it is not held.</li>
 *   <li>A lock on a lease of its own is renewed by an ownership check plus a refresh
 *       on its lease.</li>
 *   <li>A renewal with a TTL different from the lease's moves the key to a lease with the new TTL
 *       (an owner-checked put, which keeps the key's create revision and so its fencing token),
 *       then revokes the old lease of its own.</li>
 * </ul>
 * The TTL reported is always the one the server granted.
 */
final class Renewer {

    private final StoreContext ctx;

    Renewer(StoreContext ctx) {
        this.ctx = ctx;
    }

    CompletableFuture<RenewResult> renew(RenewRequest request) {
        long start = System.nanoTime();
        ClaimState state = ctx.claims().get(request.claim().ownerToken());
        if (state == null || state.status != ClaimState.Status.HELD) {
            return renewUnknown(request.claim());
        }
        LeaseRef lease = state.lease;
        long wanted = StoreContext.ceilSeconds(request.ttl());
        if (wanted != lease.ttlSeconds()) {
            return move(state, request, wanted);
        }
        if (lease.session() != null && lease.session().isLost()) {
            return CompletableFuture.completedFuture(RenewResult.notHeld());
        }
        CompletableFuture<Boolean> owned = owns(request.claim(), lease.id());
        CompletableFuture<Long> refreshed = lease.session() != null
                ? lease.session().confirm(start)
                : ctx.ops().refresh(lease.id());
        return owned.thenCombine(refreshed.handle((ttl, e) -> {
            if (e != null && !EtcdErrors.isLeaseNotFound(e)) {
                throw new java.util.concurrent.CompletionException(e);
            }
            return e == null ? ttl : -1L;
        }), (isOwner, ttl) -> isOwner && ttl > 0 ? RenewResult.renewed(Duration.ofSeconds(ttl)) : RenewResult.notHeld());
    }

    /** A batch: one refresh per session for the session locks, one by one for the rest. */
    CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        long start = System.nanoTime();
        List<CompletableFuture<RenewResult>> results = new ArrayList<>(requests.size());
        Map<Session, CompletableFuture<Long>> refreshes = new LinkedHashMap<>();
        for (RenewRequest r : requests) {
            ClaimState state = ctx.claims().get(r.claim().ownerToken());
            Session session = state == null || state.status != ClaimState.Status.HELD ? null : state.lease.session();
            if (session == null || StoreContext.ceilSeconds(r.ttl()) != session.ttlSeconds()) {
                results.add(renew(r));
                continue;
            }
            if (session.isLost()) {
                results.add(CompletableFuture.completedFuture(RenewResult.notHeld()));
                continue;
            }
            CompletableFuture<Long> refresh = refreshes.computeIfAbsent(session, s -> s.confirm(start).handle((ttl, e) -> {
                if (e != null && !EtcdErrors.isLeaseNotFound(e)) {
                    throw new java.util.concurrent.CompletionException(e);
                }
                return e == null ? ttl : -1L;
            }));
            results.add(refresh.thenApply(ttl -> ttl > 0 ? RenewResult.renewed(Duration.ofSeconds(ttl)) : RenewResult.notHeld()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<RenewResult> out = new ArrayList<>(results.size());
            for (CompletableFuture<RenewResult> f : results) {
                out.add(f.join());
            }
            return out;
        });
    }

    /** Whether the owner's key exists with its value, on the given lease. */
    private CompletableFuture<Boolean> owns(LockClaim claim, long leaseId) {
        ByteSequence key = ctx.driver().ownKey(claim);
        return ctx.ops().get(key, GetOption.DEFAULT).thenApply(r -> {
            KeyValue kv = TxnDriver.first(r);
            return kv != null && kv.getValue().equals(TxnDriver.value(claim.ownerToken())) && kv.getLease() == leaseId;
        });
    }

    /** No local record (another instance's claim, or state lost): check the store and refresh the key's lease. */
    private CompletableFuture<RenewResult> renewUnknown(LockClaim claim) {
        ByteSequence key = ctx.driver().ownKey(claim);
        return ctx.ops().get(key, GetOption.DEFAULT).thenCompose(r -> {
            KeyValue kv = TxnDriver.first(r);
            if (kv == null || !kv.getValue().equals(TxnDriver.value(claim.ownerToken()))) {
                return CompletableFuture.completedFuture(RenewResult.notHeld());
            }
            return ctx.ops().refresh(kv.getLease()).handle((ttl, e) -> {
                if (e != null) {
                    if (EtcdErrors.isLeaseNotFound(e)) {
                        return RenewResult.notHeld();
                    }
                    throw new java.util.concurrent.CompletionException(e);
                }
                return RenewResult.renewed(Duration.ofSeconds(ttl));
            });
        });
    }

    /** Moves the owner's key to a lease with the wanted TTL (owner-checked; the create revision stays). */
    private CompletableFuture<RenewResult> move(ClaimState state, RenewRequest request, long wantedSeconds) {
        LockClaim claim = request.claim();
        boolean session = state.lease.session() != null;
        long start = System.nanoTime();
        CompletableFuture<LeaseRef> target = session
                ? ctx.sessions().get(wantedSeconds).thenApply(LeaseRef::of)
                : ctx.ops().grant(wantedSeconds).thenApply(g -> LeaseRef.own(g.getID(), g.getTTL()));
        return target.thenCompose(next -> {
            ByteSequence key = ctx.driver().ownKey(claim);
            ByteSequence owner = TxnDriver.value(claim.ownerToken());
            CompletableFuture<Long> fresh = next.session() != null
                    ? next.session().confirm(start)
                    : CompletableFuture.completedFuture(next.ttlSeconds());
            return ctx.ops().txn(List.of(EtcdOps.ownerIs(key, claim.ownerToken())),
                            List.of(Op.put(key, owner, PutOption.builder().withLeaseId(next.id()).build())), List.of())
                    .thenCombine(fresh, (r, ttl) -> {
                        if (!r.isSucceeded()) {
                            if (next.isOwn()) {
                                ctx.cleanup().revokeInBackground(next.id());
                            }
                            return RenewResult.notHeld();
                        }
                        LeaseRef old = state.lease;
                        state.lease = new LeaseRef(next.id(), ttl, next.session());
                        if (old.isOwn()) {
                            ctx.cleanup().revokeInBackground(old.id());
                        }
                        return RenewResult.renewed(Duration.ofSeconds(ttl));
                    });
        });
    }
}
