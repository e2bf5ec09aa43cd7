package io.github.distlock;

import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.util.concurrent.CompletableFuture;

/** Delegates to a real backend, except that acquires or renewals fail while a switch is on. */
final class SwitchableFailureBackend implements LockBackend {

    private final LockBackend store;
    volatile boolean failAcquire;
    volatile boolean failRenew;

    SwitchableFailureBackend(LockBackend store) {
        this.store = store;
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
        return failAcquire ? unreachable("acquire") : store.tryAcquire(request);
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return store.release(claim);
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return failRenew ? unreachable("renew") : store.renew(request);
    }

    @Override
    public CompletableFuture<io.github.distlock.LockInfo> inspect(String key) {
        return store.inspect(key);
    }

    @Override
    public void close() {
        store.close();
    }
}
