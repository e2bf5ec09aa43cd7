package io.github.distlock.bench.systems;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the jetcd peers share: a client, a deadline on every call (jetcd waits forever on an
 * unreachable server unless told otherwise) and lease helpers.
 */
final class Jetcd implements AutoCloseable {

    final Client client;
    final Duration timeout;

    Jetcd(String endpoint, Duration timeout) {
        this.client = Client.builder().endpoints(endpoint).build();
        this.timeout = timeout;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits for a jetcd future at most {@link #timeout}; cancels it on timeout. */
    <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return await(future, timeout);
    }

    /** Waits for a jetcd future at most {@code limit}; cancels it on timeout or interrupt. */
    static <T> T await(CompletableFuture<T> future, Duration limit)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /** Grants a lease of {@code ttl} (whole seconds, rounded up). */
    long grant(Duration ttl) throws InterruptedException, ExecutionException, TimeoutException {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        return await(client.getLeaseClient().grant(seconds)).getID();
    }

    /** Keeps a lease alive on jetcd's shared keep-alive stream until the returned handle is closed. */
    CloseableClient keepAlive(long leaseId) {
        return client.getLeaseClient().keepAlive(leaseId, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /** Revokes a lease (deleting its keys), ignoring failures: the lease then expires on its own. */
    void revokeQuietly(long leaseId) {
        try {
            await(client.getLeaseClient().revoke(leaseId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // expires with its TTL
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
