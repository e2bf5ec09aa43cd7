package io.github.distlock.etcd.internal;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lease refreshes as single messages on one long-lived {@code LeaseKeepAlive} stream, instead of
 * jetcd's {@code keepAliveOnce}, which opens a new gRPC stream per call (and sends the request
 * twice). It is an interceptor on the client's channel: it learns the channel and the call options
 * (credentials) from the first {@code Lease} call jetcd makes through it (a grant always comes
 * first), and until then, or for a client built elsewhere, refreshes fall back to
 * {@code keepAliveOnce}.
 *
 * <p>etcd answers a stream's requests in order, one answer per request (TTL 0 when the lease does
 * not exist), so answers are matched to requests first-in first-out per lease. Each refresh has
 * the operation timeout as its deadline; a refresh that times out abandons the stream (it is
 * cancelled, everything waiting on it fails, the next refresh opens a new one), as does a stream
 * error, for example when etcd restarts.
 */
final class LeaseStream implements ClientInterceptor {

    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Channel channel;
    private volatile CallOptions options;
    private Open current; // guarded by lock
    private boolean closed; // guarded by lock

    LeaseStream(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
        if (channel == null && LeaseGrpc.SERVICE_NAME.equals(method.getServiceName())) {
            options = callOptions.withDeadline(null);
            channel = next;
        }
        return next.newCall(method, callOptions);
    }

    /** @return whether refreshes go over the stream (a Lease call has been seen) */
    boolean isReady() {
        return channel != null;
    }

    /**
     * Refreshes a lease with a request sent now.
     *
     * @param leaseId the lease
     * @return its TTL in seconds; fails with NOT_FOUND if the lease does not exist, or with the
     *         stream's error or a timeout
     */
    CompletableFuture<Long> refresh(long leaseId) {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        Open stream;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(Status.CANCELLED.withDescription("the etcd backend is closed")
                        .asRuntimeException());
            }
            if (current == null) {
                current = new Open();
            }
            stream = current;
            stream.pending.computeIfAbsent(leaseId, id -> new ArrayDeque<>()).addLast(answer);
            stream.requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
        } catch (RuntimeException e) {
            if (current != null) {
                current.fail(e);
            }
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        return answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ttl, e) -> {
            if (e instanceof TimeoutException) {
                stream.abandon(e);
            }
        });
    }

    /** Closes the stream; later refreshes fail. */
    void close() {
        Open stream;
        lock.lock();
        try {
            closed = true;
            stream = current;
        } finally {
            lock.unlock();
        }
        if (stream != null) {
            stream.abandon(Status.CANCELLED.withDescription("the etcd backend is closed").asRuntimeException());
        }
    }

    /** One open stream and the refreshes waiting for its answers. */
    private final class Open implements StreamObserver<LeaseKeepAliveResponse> {
        private final Map<Long, ArrayDeque<CompletableFuture<Long>>> pending = new HashMap<>(); // guarded by lock
        private final StreamObserver<LeaseKeepAliveRequest> requests;

        Open() {
            ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call =
                    channel.newCall(LeaseGrpc.getLeaseKeepAliveMethod(), options);
            this.requests = ClientCalls.asyncBidiStreamingCall(call, this);
        }

        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            CompletableFuture<Long> answer;
            lock.lock();
            try {
                ArrayDeque<CompletableFuture<Long>> q = pending.get(response.getID());
                answer = q == null ? null : q.pollFirst();
                if (q != null && q.isEmpty()) {
                    pending.remove(response.getID());
                }
            } finally {
                lock.unlock();
            }
            if (answer == null) {
                return;
            }
            if (response.getTTL() > 0) {
                answer.complete(response.getTTL());
            } else {
                answer.completeExceptionally(EtcdExceptionFactory.newEtcdException(ErrorCode.NOT_FOUND,
                        "etcdserver: requested lease not found"));
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }

        @Override
        public void onCompleted() {
            fail(Status.UNAVAILABLE.withDescription("the lease keep-alive stream ended").asRuntimeException());
        }

        /** Cancels the stream and fails what waits on it. */
        void abandon(Throwable why) {
            fail(why);
            // Under the lock: a call is not thread-safe, and sends happen under it too.
            lock.lock();
            try {
                requests.onError(Status.CANCELLED.withDescription("abandoned").withCause(why).asRuntimeException());
            } catch (RuntimeException ignored) {
                // already closed
            } finally {
                lock.unlock();
            }
        }

        /** Forgets the stream (the next refresh opens another) and fails what waits on it. */
        void fail(Throwable why) {
            List<CompletableFuture<Long>> waiting = new ArrayList<>();
            lock.lock();
            try {
                if (current == this) {
                    current = null;
                }
                pending.values().forEach(waiting::addAll);
                pending.clear();
            } finally {
                lock.unlock();
            }
            for (CompletableFuture<Long> w : waiting) {
                w.completeExceptionally(why);
            }
        }
    }
}
