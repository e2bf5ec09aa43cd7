package io.github.distlock.internal;

import io.github.distlock.LockInfo;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.BackendLimits;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Wraps a backend so that it behaves like a remote store: every operation reaches the store
 * {@code latency} after it was called (on another thread) and answers then; counts calls.
 */
final class RemoteLikeBackend implements LockBackend {

    private final LockBackend store;
    private final Duration latency;
    private final ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-like-network");
        t.setDaemon(true);
        return t;
    });
    final AtomicInteger calls = new AtomicInteger();

    RemoteLikeBackend(LockBackend store, Duration latency) {
        this.store = store;
        this.latency = latency;
    }

    private <T> CompletableFuture<T> later(Supplier<CompletableFuture<T>> op) {
        calls.incrementAndGet();
        CompletableFuture<T> answer = new CompletableFuture<>();
        network.schedule(() -> op.get().whenComplete((v, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(v);
            }
        }), latency.toNanos(), TimeUnit.NANOSECONDS);
        return answer;
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
        return later(() -> store.tryAcquire(request));
    }

    @Override
    public CompletableFuture<Boolean> release(LockClaim claim) {
        return later(() -> store.release(claim));
    }

    @Override
    public CompletableFuture<RenewResult> renew(RenewRequest request) {
        return later(() -> store.renew(request));
    }

    @Override
    public CompletableFuture<LockInfo> inspect(String key) {
        return later(() -> store.inspect(key));
    }

    @Override
    public void close() {
        network.shutdownNow();
        store.close();
    }
}
