package io.github.distlock.testkit.secrets;

import io.github.distlock.LockInfo;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend that passes every call to another and remembers the owner tokens it saw, so that a
 * test knows which secrets the core minted.
 */
final class TokenRecordingBackend implements LockBackend {

    private final LockBackend delegate;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    TokenRecordingBackend(LockBackend delegate) {
        this.delegate = delegate;
    }

    /** @return the owner tokens of every claim seen so far */
    Set<String> tokens() {
        return Set.copyOf(tokens);
    }

    private LockClaim seen(LockClaim claim) {
        tokens.add(claim.ownerToken());
        return claim;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public BackendLimits limits() {
        return delegate.limits();
    }

    @Override
    public boolean boundsEveryCall() {
        return delegate.boundsEveryCall();
    }

    @Override
    public CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        seen(request.claim());
        return delegate.tryAcquire(request);
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return delegate.release(seen(claim));
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        seen(request.claim());
        return delegate.renew(request);
    }

    @Override
    public CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        requests.forEach(r -> seen(r.claim()));
        return delegate.renewAll(requests);
    }

    @Override
    public CompletableFuture<LockInfo> inspect(String key) {
        return delegate.inspect(key);
    }

    @Override
    public CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        return delegate.list(keyPrefix, limit);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
