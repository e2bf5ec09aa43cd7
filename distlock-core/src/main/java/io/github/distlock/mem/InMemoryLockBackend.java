package io.github.distlock.mem;

import io.github.distlock.LockInfo;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to an {@link InMemoryLockStore}. Several backends on one store behave like
 * several processes on one lock server. Closing a backend does not release its locks: like a
 * crashed process, they expire with their TTL (the client releases them before closing).
 */
public final class InMemoryLockBackend implements LockBackend {

    private final InMemoryLockStore store;

    /**
     * Connects to a store.
     *
     * @param store the shared store
     */
    public InMemoryLockBackend(InMemoryLockStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** @return the store this backend talks to */
    public InMemoryLockStore store() {
        return store;
    }

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public BackendLimits limits() {
        return BackendLimits.MILLISECONDS;
    }

    @Override
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        return CompletableFuture.completedFuture(store.tryAcquire(request));
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return CompletableFuture.completedFuture(store.release(claim));
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return CompletableFuture.completedFuture(store.renew(request.claim(), request.ttl()));
    }

    @Override
    public CompletableFuture<LockInfo> inspect(String key) {
        return CompletableFuture.completedFuture(store.inspect(key));
    }

    @Override
    public CompletableFuture<java.util.List<LockInfo>> list(String keyPrefix, int limit) {
        return CompletableFuture.completedFuture(store.list(keyPrefix, limit));
    }

    @Override
    public void close() {
        // Nothing to close: the store outlives its connections.
    }
}
