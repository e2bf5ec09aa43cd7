package io.github.distlock.internal;

import io.github.distlock.LockInfo;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewRequest;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.List;
import io.github.distlock.LockClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls the backend with a deadline on every call and maps failures, so that no call made by
 * the engine can hang or leak a foreign exception type.
 */
final class BackendCalls {

    private final LockBackend backend;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;

    BackendCalls(LockBackend backend, ScheduledExecutorService scheduler, Duration timeout) {
        this.backend = backend;
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    String backendName() {
        return backend.name();
    }

    CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request) {
        return call("acquire", request.claim().key(), () -> backend.tryAcquire(request));
    }

    CompletableFuture<Boolean> release(LockClaim claim) {
        return call("release", claim.key(), () -> backend.release(claim));
    }

    /**
     * A release whose completion runs only the core's own non-blocking code (see
     * {@link LockBackend#release(LockClaim, boolean)}).
     */
    CompletableFuture<Boolean> releaseInline(LockClaim claim) {
        return call("release", claim.key(), () -> backend.release(claim, true));
    }

    CompletableFuture<RenewResult> renew(RenewRequest request) {
        return call("renew", request.claim().key(), () -> backend.renew(request));
    }

    CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        return call("renew of " + requests.size() + " locks", null, () -> backend.renewAll(requests));
    }

    CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        return call("list", null, () -> backend.list(keyPrefix, limit));
    }

    CompletableFuture<LockInfo> inspect(String key) {
        return call("inspect", key, () -> backend.inspect(key));
    }

    private <T> CompletableFuture<T> call(String operation, String key, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> source;
        try {
            source = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Exceptions.map(e, backend.name(), key, operation));
        }
        if (backend.boundsEveryCall() || source.isDone()) {
            return source.handle((v, e) -> {
                if (e != null) {
                    throw new java.util.concurrent.CompletionException(Exceptions.map(e, backend.name(), key, operation));
                }
                return v;
            });
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        {
            try {
                ScheduledFuture<?> timer = scheduler.schedule(() -> {
                    result.completeExceptionally(Exceptions.map(new TimeoutException(
                            operation + " timed out after " + timeout), backend.name(), key, operation));
                }, timeout.toNanos(), TimeUnit.NANOSECONDS);
                result.whenComplete((v, e) -> timer.cancel(false));
            } catch (RejectedExecutionException clientClosed) {
                result.completeExceptionally(new LockClosedException(
                        "cannot " + operation + " on backend '" + backend.name() + "': the client is closed"));
            }
        }
        source.whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(Exceptions.map(e, backend.name(), key, operation));
            } else {
                result.complete(v);
            }
        });
        return result;
    }
}
