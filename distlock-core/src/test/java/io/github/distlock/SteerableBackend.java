package io.github.distlock;

import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.util.concurrent.CompletableFuture;

/**
 * Delegates to a real backend, except that acquires or renewals fail while a switch is on, and
 * that answers can be held back until the test lets them through.
 */
final class SteerableBackend implements LockBackend {

    private final LockBackend store;
    volatile boolean failAcquire;
    volatile boolean failRenew;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    SteerableBackend(LockBackend store) {
        this.store = store;
    }

    /** Holds back every answer of calls made from now on, until {@link #answer()}. */
    void holdAnswers() {
        gate = new CompletableFuture<>();
    }

    /** Lets the held answers through. */
    void answer() {
        gate.complete(null);
    }

    private <T> CompletableFuture<T> gated(java.util.function.Supplier<CompletableFuture<T>> call) {
        return gate.thenCompose(ignored -> call.get());
    }

    private static <T> CompletableFuture<T> unreachable(String operation) {
        return CompletableFuture.failedFuture(new java.io.IOException(operation + ": store unreachable (test switch)"));
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public BackendLimits limits() {
        return store.limits();
    }

    @Override
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        return failAcquire ? unreachable("acquire") : gated(() -> store.tryAcquire(request));
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return gated(() -> store.release(claim));
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return failRenew ? unreachable("renew") : gated(() -> store.renew(request));
    }

    @Override
    public CompletableFuture<io.github.distlock.LockInfo> inspect(String key) {
        return gated(() -> store.inspect(key));
    }

    @Override
    public CompletableFuture<java.util.List<io.github.distlock.LockInfo>> list(String keyPrefix, int limit) {
        return gated(() -> store.list(keyPrefix, limit));
    }

    @Override
    public void close() {
        store.close();
    }
}
