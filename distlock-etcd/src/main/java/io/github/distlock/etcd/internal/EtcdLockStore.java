package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.distlock.LockInfo;
import io.github.distlock.etcd.EtcdLockStrategy;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd lock store behind {@link io.github.distlock.etcd.EtcdLockBackend}: wires the strategy
 * driver, the session leases, change notifications and background clean-up to one jetcd client.
 */
public final class EtcdLockStore {

    private static final Logger log = LoggerFactory.getLogger(EtcdLockStore.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How many holder leases {@link #inspect} asks for their remaining TTL. */
    private static final int MAX_TTL_LOOKUPS = 8;
    /** Keys read per page when listing. */
    private static final int LIST_PAGE = 1_000;
    /** Most store keys one listing reads. */
    private static final int MAX_LIST_KEYS = 200_000;
    /** Most distinct leases one listing asks for their remaining TTL. */
    private static final int MAX_LIST_TTL_LOOKUPS = 64;

    private final Client client;
    private final boolean ownsClient;
    private final StoreContext ctx;
    private final KeyLayout layout;
    private final Acquirer acquirer;
    private final Renewer renewer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Callbacks callbacks;
    /** Answers of {@link #tryAcquire} and {@link #release} handed off to a callback thread; for tests. */
    private final LongAdder lockPathHandOffs = new LongAdder();
    /** The budget of one {@link #release}: 80% of the operation timeout, under the core's deadline. */
    private final Duration releaseBudget;
    private final Deadlines releaseDeadlines;

    /**
     * Creates the store.
     *
     * @param client the jetcd client
     * @param ownsClient whether {@link #close()} closes the client
     * @param strategy the lock layout
     * @param keyPrefix the key prefix
     * @param operationTimeout the deadline of every call
     * @param recheckAfter how long a waiter waits for a notification before it looks again
     */
    public EtcdLockStore(Client client, boolean ownsClient, EtcdLockStrategy strategy, String keyPrefix,
            Duration operationTimeout, Duration recheckAfter) {
        this(client, ownsClient, null, strategy, keyPrefix, operationTimeout, recheckAfter);
    }

    /**
     * Builds a jetcd client from a copy of {@code builder} (see {@link ClientFactory#build}), with
     * lease refreshes sent on one long-lived keep-alive stream, and a store that owns it.
     *
     * @param builder the jetcd builder; not changed
     * @param strategy the lock layout
     * @param keyPrefix the key prefix
     * @param operationTimeout the deadline of every call
     * @param recheckAfter how long a waiter waits for a notification before it looks again
     * @return the store
     */
    public static EtcdLockStore create(ClientBuilder builder, EtcdLockStrategy strategy, String keyPrefix,
            Duration operationTimeout, Duration recheckAfter) {
        LeaseStream leaseStream = new LeaseStream(operationTimeout);
        Client client = ClientFactory.build(builder, operationTimeout, leaseStream);
        return new EtcdLockStore(client, true, leaseStream, strategy, keyPrefix, operationTimeout, recheckAfter);
    }

    private EtcdLockStore(Client client, boolean ownsClient, LeaseStream leaseStream, EtcdLockStrategy strategy,
            String keyPrefix, Duration operationTimeout, Duration recheckAfter) {
        this.client = client;
        this.ownsClient = ownsClient;
        // Only create() builds the client (with ClientFactory, which gives every unary call a
        // deadline, and a lease stream); a client given by the application may have no deadline.
        boolean callDeadlines = leaseStream != null;
        EtcdOps ops = new EtcdOps(client, operationTimeout, leaseStream, callDeadlines);
        this.layout = new KeyLayout(keyPrefix);
        StrategyDriver driver = strategy == EtcdLockStrategy.TXN ? new TxnDriver(ops, layout) : new MutexDriver(ops, layout);
        int id = IDS.incrementAndGet();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "distlock-etcd-" + id);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.callbacks = new Callbacks(id);
        this.ctx = new StoreContext(ops, driver, new Sessions(ops), new LeasePool(ops), new ConcurrentHashMap<>(),
                new ChangeSignals(ops, scheduler, callbacks), new Cleanup(ops, scheduler), scheduler, recheckAfter,
                new ReleasedOwners());
        this.acquirer = new Acquirer(ctx);
        this.releaseBudget = operationTimeout.multipliedBy(4).dividedBy(5);
        this.releaseDeadlines = new Deadlines(scheduler, releaseBudget);
        this.renewer = new Renewer(ctx);
    }

    /**
     * One acquire attempt; see {@link io.github.distlock.spi.LockBackend#tryAcquire}.
     *
     * @param request the request
     * @return the outcome
     */
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        CompletableFuture<AcquireResult> result = acquirer.tryAcquire(request);
        if (!request.completeInline() || request.prepareWait()) {
            return lockPathAnswer(result, false);
        }
        // Inline only a grant of a first attempt: the core then only records the lease. On a busy
        // answer it arms or cancels watches, and jetcd's watch client takes a lock of its own
        // that must not be waited for on its event loop: that answer is handed off.
        CompletableFuture<AcquireResult> answer = new CompletableFuture<>();
        result.whenComplete((r, e) -> {
            if (e == null && r instanceof AcquireResult.Acquired) {
                answer.complete(r);
            } else {
                lockPathHandOffs.increment();
                callbacks.execute(() -> {
                    if (e != null) {
                        answer.completeExceptionally(e);
                    } else {
                        answer.complete(r);
                    }
                });
            }
        });
        return answer;
    }

    /**
     * Owner-checked release of a grant or queue entry: a plain delete where the key's name
     * carries the owner token ({@link StrategyDriver#ownKeyNamesTheOwner}), else a transaction
     * that deletes the key only while it holds the owner's token. Transient failures are retried within the
     * operation timeout (the delete is idempotent), then in the background.
     *
     * @param claim the claim
     * @param completeInline whether the answer may complete on jetcd's threads (only the core's
     *     own non-blocking code runs then), else it is handed off to a callback thread
     * @return whether the owner's key existed and was deleted
     */
    public CompletableFuture<Boolean> release(LockClaim claim, boolean completeInline) {
        ctx.markReleased(claim.ownerToken());
        ClaimState state = ctx.claims().remove(claim.ownerToken());
        if (state != null) {
            state.stopQueueKeepAlive();
            CompletableFuture<Void> changed = state.changed;
            if (changed != null) {
                changed.cancel(false);
            }
        }
        ByteSequence key = ctx.driver().ownKey(claim);
        boolean plainDelete = ctx.driver().ownKeyNamesTheOwner(claim);
        CompletableFuture<Boolean> delete = ctx.cleanup().retrying(
                () -> plainDelete ? ctx.ops().deleteOwnersKey(key) : ctx.ops().deleteIfOwner(key, claim.ownerToken()),
                releaseBudget);
        try {
            releaseDeadlines.orTimeout(delete);
        } catch (RejectedExecutionException closed) {
            delete.orTimeout(releaseBudget.toNanos(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture<Boolean> answer = delete
                .handle((deleted, e) -> {
                    if (state != null && state.lease.isOwn()) {
                        if (e == null && deleted) {
                            // Its only key is gone: the lease can carry the next explicit-TTL lock.
                            ctx.leasePool().giveBack(state.lease);
                        } else {
                            ctx.cleanup().revokeInBackground(state.lease.id());
                        }
                    }
                    if (e != null) {
                        if (state == null || !state.lease.isOwn()) {
                            ctx.cleanup().deleteInBackground(key, claim.ownerToken());
                        }
                        throw EtcdErrors.map(e, claim.key(), "release", ctx.timeout());
                    }
                    return deleted;
                });
        return lockPathAnswer(answer, completeInline);
    }

    /**
     * An acquire or release answer: as it is when only the core's own non-blocking code runs on
     * its completion (no hand-off, so no thread wake-up, on the hot path), else handed off to a
     * callback thread.
     */
    private <T> CompletableFuture<T> lockPathAnswer(CompletableFuture<T> answer, boolean completeInline) {
        if (completeInline) {
            return answer;
        }
        lockPathHandOffs.increment();
        return callbacks.handOff(answer);
    }

    /**
     * Renews one grant.
     *
     * @param request claim and TTL
     * @return renewed with the granted TTL, or not held
     */
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return callbacks.handOff(withinTimeout(renewer.renew(request)).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                EtcdErrors.map(e, request.claim().key(), "renew", ctx.timeout()))));
    }

    /**
     * Renews a batch; session locks cost one refresh per session.
     *
     * @param requests the claims
     * @return results in request order
     */
    public CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        return callbacks.handOff(withinTimeout(renewer.renewAll(requests)).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                EtcdErrors.map(e, null, "renew of " + requests.size() + " locks", ctx.timeout()))));
    }

    /**
     * Reads a lock's holders, and the remaining TTL of their leases.
     *
     * @param key the lock key
     * @return the info
     */
    public CompletableFuture<LockInfo> inspect(String key) {
        CompletableFuture<LockInfo> inspected = ctx.driver().inspect(key).thenCompose(s -> {
            LockInfo info = s.info();
            if (!info.held() || s.leases().isEmpty()) {
                return CompletableFuture.completedFuture(info);
            }
            List<CompletableFuture<Long>> ttls = new ArrayList<>();
            for (Long lease : s.leases()) {
                if (ttls.size() == MAX_TTL_LOOKUPS) {
                    break;
                }
                ttls.add(lease == 0 ? CompletableFuture.completedFuture(0L)
                        : ctx.ops().timeToLive(lease).handle((r, e) -> e == null ? r.getTTL() : 0L));
            }
            return CompletableFuture.allOf(ttls.toArray(CompletableFuture[]::new)).thenApply(v -> {
                long longest = 0;
                for (CompletableFuture<Long> t : ttls) {
                    longest = Math.max(longest, t.join());
                }
                return LockInfo.held(key, info.type().orElseThrow(), info.holderCount(), info.fencingToken(),
                        Duration.ofSeconds(longest));
            });
        });
        return callbacks.handOff(withinTimeout(inspected).exceptionallyCompose(
                e -> CompletableFuture.failedFuture(EtcdErrors.map(e, key, "inspect", ctx.timeout()))));
    }

    /**
     * Lists held locks whose key starts with {@code keyPrefix}: a ranged, paged read of the
     * key prefix (keys only), interpreted per lock, with the remaining TTL of up to
     * {@value #MAX_LIST_TTL_LOOKUPS} distinct leases looked up.
     *
     * @param keyPrefix the lock key prefix
     * @param limit the most locks to return
     * @return the held locks, sorted by key
     */
    public CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        java.util.TreeMap<String, List<io.etcd.jetcd.KeyValue>> byLock = new java.util.TreeMap<>();
        ByteSequence start = layout.scanPrefix(keyPrefix);
        ByteSequence end = io.etcd.jetcd.options.OptionsUtil.prefixEndOf(start);
        CompletableFuture<List<LockInfo>> listed = scan(start, end, byLock, MAX_LIST_KEYS).thenCompose(v -> {
            List<StrategyDriver.Snapshot> held = new ArrayList<>();
            for (var e : byLock.entrySet()) {
                StrategyDriver.Snapshot s = ctx.driver().interpret(e.getKey(), e.getValue());
                if (s.info().held() && held.size() < limit) {
                    held.add(s);
                }
            }
            java.util.Map<Long, CompletableFuture<Long>> ttls = new java.util.HashMap<>();
            for (StrategyDriver.Snapshot s : held) {
                for (Long lease : s.leases()) {
                    if (lease != 0 && ttls.size() < MAX_LIST_TTL_LOOKUPS) {
                        ttls.computeIfAbsent(lease, id -> ctx.ops().timeToLive(id).handle((r, e) -> e == null ? r.getTTL() : 0L));
                    }
                }
            }
            return CompletableFuture.allOf(ttls.values().toArray(CompletableFuture[]::new)).thenApply(x -> {
                List<LockInfo> out = new ArrayList<>(held.size());
                for (StrategyDriver.Snapshot s : held) {
                    long longest = 0;
                    for (Long lease : s.leases()) {
                        CompletableFuture<Long> t = ttls.get(lease);
                        longest = Math.max(longest, t == null ? 0 : t.join());
                    }
                    LockInfo i = s.info();
                    out.add(LockInfo.held(i.key(), i.type().orElseThrow(), i.holderCount(), i.fencingToken(),
                            Duration.ofSeconds(longest)));
                }
                return out;
            });
        });
        return callbacks.handOff(withinTimeout(listed).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                EtcdErrors.map(e, null, "list", ctx.timeout()))));
    }

    /** @return how many acquire and release answers were handed off to a callback thread; for tests */
    public long lockPathHandOffs() {
        return lockPathHandOffs.sum();
    }

    /**
     * Bounds an operation that chains several calls by the operation timeout as a whole: with
     * {@link #tryAcquire} (bounded by the acquirer) and {@link #release} (by its budget), every
     * operation of the store answers within the timeout, so the core sets no timer of its own
     * ({@link io.github.distlock.spi.LockBackend#boundsEveryCall()}).
     */
    private <T> CompletableFuture<T> withinTimeout(CompletableFuture<T> operation) {
        return operation.orTimeout(ctx.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private CompletableFuture<Void> scan(ByteSequence from, ByteSequence end,
            java.util.Map<String, List<io.etcd.jetcd.KeyValue>> byLock, int budget) {
        io.etcd.jetcd.options.GetOption page = io.etcd.jetcd.options.GetOption.builder().withRange(end)
                .withKeysOnly(true).withLimit(LIST_PAGE).withSortField(io.etcd.jetcd.options.GetOption.SortTarget.KEY)
                .withSortOrder(io.etcd.jetcd.options.GetOption.SortOrder.ASCEND).build();
        return ctx.ops().get(from, page).thenCompose(r -> {
            io.etcd.jetcd.KeyValue last = null;
            for (io.etcd.jetcd.KeyValue kv : r.getKvs()) {
                String lock = layout.lockKeyOf(kv.getKey());
                if (lock != null) {
                    byLock.computeIfAbsent(lock, k -> new ArrayList<>()).add(kv);
                }
                last = kv;
            }
            int left = budget - r.getKvs().size();
            if (!r.isMore() || last == null || left <= 0) {
                return CompletableFuture.completedFuture(null);
            }
            ByteSequence next = last.getKey().concat(ByteSequence.from(new byte[] {0}));
            return scan(next, end, byLock, left);
        });
    }

    /** @return the number of armed change notifications; for tests */
    public int armedNotifications() {
        return ctx.signals().size();
    }

    /** @return the number of claims with a key in the store (held or queued); for tests */
    public int trackedClaims() {
        return ctx.claims().size();
    }

    /**
     * Cancels waits, revokes the session leases and the leases of queued claims, and closes the
     * client if it is owned. Bounded by the operation timeout. Idempotent.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ctx.signals().closeAll();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (ClaimState s : List.copyOf(ctx.claims().values())) {
            s.stopQueueKeepAlive();
            if (s.lease.isOwn() && s.status == ClaimState.Status.QUEUED) {
                work.add(ctx.ops().revoke(s.lease.id()).exceptionally(e -> null));
            }
        }
        ctx.claims().clear();
        work.add(ctx.sessions().close());
        work.add(ctx.leasePool().close());
        try {
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
                    .get(ctx.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Revoking etcd leases on close did not finish; they expire with their TTL", e);
        }
        ctx.ops().close();
        ctx.scheduler().shutdownNow();
        callbacks.shutdown();
        if (ownsClient) {
            client.close();
        }
    }
}
