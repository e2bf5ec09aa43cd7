package io.github.distlock.internal;

import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostException;
import io.github.distlock.LockNotHeldException;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link DistributedLock}: one per backend connection. Owns the scheduler
 * (one thread, shared by all waits, renewals and deadlines of this client), the watchdog, the
 * per-thread holds of the key-based API, and the set of live leases released on close.
 */
public final class DefaultDistributedLock implements DistributedLock {

    private static final Logger log = LoggerFactory.getLogger(DefaultDistributedLock.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    private static final long FIXED_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final LockBackend backend;
    private final boolean ownsBackend;
    private final LockClientOptions options;
    private final ScheduledThreadPoolExecutor scheduler;
    private final BackendCalls calls;
    private final LeaseWatchdog watchdog;
    private final LockEvents events;
    private final OwnerTokens ownerTokens = new OwnerTokens();
    private final AtomicLong leaseSequence = new AtomicLong();
    private final ConcurrentHashMap<HoldKey, Hold> holds = new ConcurrentHashMap<>();
    private final Set<DefaultLockLease> liveLeases = ConcurrentHashMap.newKeySet();
    private final Set<AcquireOperation> pending = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<?>> cleanups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates a client over a backend.
     *
     * @param backend the store
     * @param options client options
     * @param ownsBackend whether {@link #close()} closes the backend
     */
    public DefaultDistributedLock(LockBackend backend, LockClientOptions options, boolean ownsBackend) {
        this.backend = Arguments.notNull("backend", backend);
        this.options = Arguments.notNull("options", options);
        this.ownsBackend = ownsBackend;
        int id = CLIENT_IDS.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "distlock-" + backend.name() + "-" + id);
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.calls = new BackendCalls(backend, scheduler, options.operationTimeout());
        this.watchdog = new LeaseWatchdog(this, scheduler);
        this.events = new LockEvents(options.eventListeners());
        log.debug("Opened distlock client {} on {} with {}", id, backend.name(), options);
    }

    // ---- key-based, thread-bound API ----

    @Override
    public boolean tryLock(String key) throws InterruptedException {
        return tryLock(key, defaultOptions());
    }

    @Override
    public boolean tryLock(String key, LockOptions options) throws InterruptedException {
        HoldKey holdKey = new HoldKey(Arguments.key(key), Thread.currentThread());
        if (reenter(holdKey, options)) {
            return true;
        }
        Optional<LockLease> lease = tryAcquire(key, options);
        lease.ifPresent(l -> holds.put(holdKey, new Hold((DefaultLockLease) l)));
        return lease.isPresent();
    }

    @Override
    public void lock(String key) throws InterruptedException {
        lock(key, defaultOptions());
    }

    @Override
    public void lock(String key, LockOptions options) throws InterruptedException {
        HoldKey holdKey = new HoldKey(Arguments.key(key), Thread.currentThread());
        if (reenter(holdKey, options)) {
            return;
        }
        LockLease lease = acquire(key, options);
        holds.put(holdKey, new Hold((DefaultLockLease) lease));
    }

    private boolean reenter(HoldKey holdKey, LockOptions options) {
        Arguments.notNull("options", options);
        checkOpen();
        Hold hold = holds.get(holdKey);
        if (hold == null) {
            return false;
        }
        if (hold.lease.type() == LockType.SHARED && options.lockType() == LockType.EXCLUSIVE) {
            throw new InvalidLockArgumentException("lockType", "lockType EXCLUSIVE cannot re-enter lock '"
                    + holdKey.key() + "' that this thread holds as SHARED: upgrading a read lock would deadlock");
        }
        hold.count++;
        return true;
    }

    @Override
    public void unlock(String key) {
        HoldKey holdKey = new HoldKey(Arguments.key(key), Thread.currentThread());
        checkOpen();
        Hold hold = holds.get(holdKey);
        if (hold == null) {
            throw notHeldByThisThread(key, "unlock");
        }
        if (--hold.count > 0) {
            return;
        }
        holds.remove(holdKey);
        if (!hold.lease.release()) {
            throw new LockLostException(hold.lease.lossOrDefault());
        }
    }

    @Override
    public void renew(String key, Duration ttl) {
        HoldKey holdKey = new HoldKey(Arguments.key(key), Thread.currentThread());
        checkOpen();
        Hold hold = holds.get(holdKey);
        if (hold == null) {
            throw notHeldByThisThread(key, "renew");
        }
        hold.lease.renew(ttl);
    }

    @Override
    public Optional<LockLease> currentLease(String key) {
        Hold hold = holds.get(new HoldKey(Arguments.key(key), Thread.currentThread()));
        return hold == null ? Optional.empty() : Optional.of(hold.lease);
    }

    private LockNotHeldException notHeldByThisThread(String key, String operation) {
        boolean otherThread = holds.keySet().stream().anyMatch(h -> h.key().equals(key));
        return new LockNotHeldException("cannot " + operation + " lock '" + key + "': thread '"
                + Thread.currentThread().getName() + "' does not hold it"
                + (otherThread ? " (another thread of this client does; only the holding thread may " + operation
                        + " it, or use the LockLease API to pass ownership between threads)" : ""));
    }

    @Override
    public Lock asLock(String key) {
        return asLock(key, defaultOptions());
    }

    @Override
    public Lock asLock(String key, LockOptions options) {
        Arguments.key(key);
        Arguments.notNull("options", options);
        checkTtl("ttl", options.ttl());
        return new KeyLockView(this, key, options);
    }

    @Override
    public boolean isLocked(String key) {
        return getLockInfo(key).held();
    }

    // ---- handles ----

    @Override
    public Optional<LockLease> tryAcquire(String key) throws InterruptedException {
        return tryAcquire(key, defaultOptions());
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, LockOptions options) throws InterruptedException {
        return await(start(key, options, AcquireOperation.Mode.RETRY, true));
    }

    @Override
    public LockLease acquire(String key) throws InterruptedException {
        return acquire(key, defaultOptions());
    }

    @Override
    public LockLease acquire(String key, LockOptions options) throws InterruptedException {
        AcquireOperation op = start(key, options, AcquireOperation.Mode.WAIT, true);
        return await(op).orElseThrow(() -> new LockAcquisitionTimeoutException(op.key(), op.waitTimeout()));
    }

    @Override
    public CompletableFuture<LockLease> acquireAsync(String key, LockOptions options) {
        AcquireOperation op = start(key, options, AcquireOperation.Mode.WAIT, false);
        CompletableFuture<LockLease> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                op.result.cancel(mayInterruptIfRunning);
                return cancelled;
            }
        };
        op.delivered = future;
        op.result.whenComplete((lease, error) -> {
            if (error == null && lease.isPresent()) {
                if (!future.complete(lease.get())) {
                    ((DefaultLockLease) lease.get()).releaseQuietly();
                }
                return;
            }
            Throwable failure = error != null
                    ? Exceptions.unwrap(error)
                    : new LockAcquisitionTimeoutException(op.key(), op.waitTimeout());
            // Report the failure only once the wait has removed what it left in the store.
            op.settled.whenComplete((v, e) -> future.completeExceptionally(failure));
        });
        return future;
    }

    @Override
    public CompletableFuture<Optional<LockLease>> tryAcquireAsync(String key, LockOptions options) {
        return start(key, options, AcquireOperation.Mode.RETRY, false).result;
    }

    /**
     * Starts an acquire. {@code callerWaits}: a thread blocks in {@link #await} for the result and
     * nothing of the application is chained on it, so without event listeners the backend may
     * complete its attempts on its I/O threads
     * ({@link io.github.distlock.spi.AcquireRequest#completeInline()}).
     */
    private AcquireOperation start(String key, LockOptions options, AcquireOperation.Mode mode, boolean callerWaits) {
        Arguments.key(key);
        Arguments.notNull("options", options);
        checkTtl("ttl", options.ttl());
        checkOpen();
        LockClaim claim = new LockClaim(key, options.lockType(), ownerTokens.next());
        AcquireOperation op = new AcquireOperation(this, claim, options, mode, callerWaits && !events.enabled());
        pending.add(op);
        op.settled.whenComplete((r, e) -> pending.remove(op));
        op.start();
        if (closed.get()) {
            op.result.completeExceptionally(closedException("acquire"));
        }
        return op;
    }

    /**
     * Waits for an acquire. When it ends without a lease (timeout, interrupt, failure), returns or
     * throws only after the operation has removed what it left in the store.
     */
    private Optional<LockLease> await(AcquireOperation op) throws InterruptedException {
        Optional<LockLease> outcome;
        try {
            outcome = op.result.get();
        } catch (InterruptedException e) {
            CompletableFuture<?> leftover = CompletableFuture.completedFuture(null);
            if (!op.result.cancel(false)) {
                // Completed meanwhile: a lease nobody will receive is released.
                Optional<LockLease> granted = op.result.handle((r, x) -> r).getNow(null);
                if (granted != null && granted.isPresent()) {
                    leftover = ((DefaultLockLease) granted.get()).releaseQuietly();
                }
            }
            awaitCleanup(leftover, false);
            awaitCleanup(op.settled, false);
            throw e;
        } catch (ExecutionException e) {
            awaitCleanup(op.settled, true);
            throw Exceptions.rethrow(e.getCause());
        } catch (CancellationException e) {
            awaitCleanup(op.settled, true);
            throw closedException("acquire");
        }
        if (outcome.isEmpty()) {
            awaitCleanup(op.settled, true);
        }
        return outcome;
    }

    /**
     * Waits for clean-up work, which is bounded by the store calls' deadlines (an attempt in flight
     * and one release), without giving up on interrupt.
     */
    private void awaitCleanup(CompletableFuture<?> cleanup, boolean restoreInterrupt) {
        long deadline = System.nanoTime() + 2 * options.operationTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        boolean interrupted = false;
        while (true) {
            try {
                cleanup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            } catch (TimeoutException e) {
                log.debug("Clean-up after an acquire on {} did not finish in time; what is left expires with its TTL",
                        backend.name());
                break;
            }
        }
        if (interrupted && restoreInterrupt) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public LockInfo getLockInfo(String key) {
        return Exceptions.awaitBounded(getLockInfoAsync(key));
    }

    @Override
    public CompletableFuture<LockInfo> getLockInfoAsync(String key) {
        Arguments.key(key);
        checkOpen();
        return calls.inspect(key);
    }

    @Override
    public List<LockInfo> listLocks(String keyPrefix, int limit) {
        return Exceptions.awaitBounded(listLocksAsync(keyPrefix, limit));
    }

    @Override
    public CompletableFuture<List<LockInfo>> listLocksAsync(String keyPrefix, int limit) {
        Arguments.notNull("keyPrefix", keyPrefix);
        if (limit < 1 || limit > 100_000) {
            throw new InvalidLockArgumentException("limit", "limit must be between 1 and 100000, but was " + limit);
        }
        checkOpen();
        return calls.list(keyPrefix, limit).thenApply(found -> {
            List<LockInfo> locks = new ArrayList<>(found);
            locks.sort(Comparator.comparing(LockInfo::key));
            return locks;
        });
    }

    @Override
    public List<LockLease> heldLeases() {
        List<LockLease> held = new ArrayList<>(liveLeases.size());
        for (DefaultLockLease lease : liveLeases) {
            if (lease.state() == DefaultLockLease.State.HELD) {
                held.add(lease);
            }
        }
        held.sort(Comparator.comparing(LockLease::key).thenComparingLong(LockLease::fencingToken));
        return Collections.unmodifiableList(held);
    }

    @Override
    public LockOptions defaultOptions() {
        return options.defaultLockOptions();
    }

    @Override
    public String backendName() {
        return backend.name();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (AcquireOperation op : List.copyOf(pending)) {
            op.result.completeExceptionally(closedException("acquire"));
            CompletableFuture<?> delivered = op.delivered;
            work.add(delivered != null ? delivered.handle((r, e) -> null) : op.settled);
        }
        for (DefaultLockLease lease : List.copyOf(liveLeases)) {
            work.add(lease.releaseQuietly());
        }
        work.addAll(cleanups);
        try {
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
                    .get(options.operationTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Releasing locks while closing the {} client did not finish; they expire with their TTL",
                    backend.name(), e);
        }
        watchdog.stop();
        holds.clear();
        log.debug("Closed the distlock client on {}", backend.name());
        scheduler.shutdownNow();
        if (ownsBackend) {
            backend.close();
        }
    }

    // ---- engine internals, used by AcquireOperation, DefaultLockLease and LeaseWatchdog ----

    DefaultLockLease newLease(LockClaim claim, AcquireResult.Acquired granted, LockOptions lockOptions,
            long sentNanos, java.time.Instant sentAt) {
        DefaultLockLease lease = new DefaultLockLease(this, claim, granted.fencingToken(), granted.ttl(),
                lockOptions.autoRenew(), sentNanos, sentAt, leaseSequence.incrementAndGet());
        liveLeases.add(lease);
        watchdog.track(lease);
        if (closed.get()) {
            lease.releaseQuietly();
        }
        return lease;
    }

    void forget(DefaultLockLease lease) {
        liveLeases.remove(lease);
    }

    /** Releases a claim in the background (never failing); the future completes when the store answered. */
    CompletableFuture<Boolean> releaseClaimQuietly(LockClaim claim) {
        CompletableFuture<Boolean> cleanup = calls.release(claim).exceptionally(e -> {
            log.debug("Cleaning up after acquire of '{}' failed; what it left expires with its TTL", claim.key(), e);
            return false;
        });
        cleanups.add(cleanup);
        cleanup.whenComplete((r, e) -> cleanups.remove(cleanup));
        return cleanup;
    }

    /** Local validity of a grant or renewal of {@code ttl}: the TTL minus the drift margin. */
    long validityNanos(Duration ttl) {
        long ttlNanos = ttl.toNanos();
        long margin = (long) (ttlNanos * options.clockDriftFactor()) + FIXED_MARGIN_NANOS;
        return Math.max(ttlNanos / 2, ttlNanos - margin);
    }

    void checkTtl(String name, Duration ttl) {
        Arguments.ttl(name, ttl, backend.name(), backend.limits());
    }

    Clock clock() {
        return options.clock();
    }

    LockEvents events() {
        return events;
    }

    BackendCalls calls() {
        return calls;
    }

    LeaseWatchdog watchdog() {
        return watchdog;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Number of leases the watchdog tracks; for tests and metrics. */
    int trackedLeases() {
        return watchdog.size();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw closedException("use");
        }
    }

    LockClosedException closedException(String operation) {
        return new LockClosedException("cannot " + operation + " the distlock client of backend '" + backend.name()
                + "': it is closed");
    }

    @Override
    public String toString() {
        return "DistributedLock{backend=" + backend.name() + ", liveLeases=" + liveLeases.size() + '}';
    }

    private record HoldKey(String key, Thread thread) {
    }

    /** One thread's key-based hold; only its thread touches {@code count}. */
    private static final class Hold {
        final DefaultLockLease lease;
        int count = 1;

        Hold(DefaultLockLease lease) {
            this.lease = lease;
        }
    }

}
