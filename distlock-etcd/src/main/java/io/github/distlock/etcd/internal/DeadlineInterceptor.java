package io.github.distlock.etcd.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary gRPC call without a deadline one of {@code timeout}, so that a call to a
 * paused or partitioned server ends on the server side too (jetcd sets none). Streams (watch,
 * lease keep-alive) are left alone: they live for as long as the client does.
 */
final class DeadlineInterceptor implements ClientInterceptor {

    private final long timeoutNanos;

    DeadlineInterceptor(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallOptions bounded = options;
        if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
            bounded = options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        return next.newCall(method, bounded);
    }
}
