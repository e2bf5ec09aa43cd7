package io.github.distlock.etcd.internal;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.TxnOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The jetcd calls the backend makes, each bounded by the operation timeout (jetcd itself waits
 * forever). Transactions are never retried by jetcd ({@link TxnOption#DEFAULT} has no auto
 * retry since 0.8.5, but for a refreshed auth token); this class retries only calls that are
 * idempotent by construction, and says so in their names.
 *
 * <p>How a call is bounded: on a client built by {@link ClientFactory} every unary gRPC call
 * carries a deadline of the operation timeout ({@link DeadlineInterceptor}), so a transaction
 * ends on both sides by itself, and {@link #txn} adds nothing (the hot path: no timer and no
 * future copy per call; the operations that chain calls bound their whole chain). On a client
 * given by the application, which may have no such deadline, every call also gets a timer.
 */
final class EtcdOps {

    private static final TxnOption NO_RETRY = TxnOption.DEFAULT;

    private final KV kv;
    private final Lease lease;
    private final Watch watch;
    private final Duration timeout;
    private final LeaseStream leaseStream;
    private final boolean callDeadlines;

    /**
     * @param callDeadlines whether the client gives every unary gRPC call a deadline of
     *     {@code timeout} ({@link ClientFactory#build}); without one every call gets a timer
     */
    EtcdOps(Client client, Duration timeout, LeaseStream leaseStream, boolean callDeadlines) {
        this.leaseStream = leaseStream;
        this.callDeadlines = callDeadlines;
        this.kv = client.getKVClient();
        this.lease = client.getLeaseClient();
        this.watch = client.getWatchClient();
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * One transaction, not retried: the caller resolves an ambiguous failure by reading. Bounded
     * by the gRPC deadline of the call when the client sets one (it then fails with
     * DEADLINE_EXCEEDED, an ambiguous failure like a timeout), else by a timer.
     */
    CompletableFuture<TxnResponse> txn(List<Cmp> ifs, List<Op> then, List<Op> otherwise) {
        Supplier<CompletableFuture<TxnResponse>> call = () -> kv.txn(NO_RETRY)
                .If(ifs.toArray(Cmp[]::new))
                .Then(then.toArray(Op[]::new))
                .Else(otherwise.toArray(Op[]::new))
                .commit();
        return lockPathCall(call);
    }

    /** A lock-path call: bounded by its gRPC deadline when the client sets one, else by a timer. */
    private <T> CompletableFuture<T> lockPathCall(Supplier<CompletableFuture<T>> call) {
        return callDeadlines ? unbounded(call) : bounded(call);
    }

    /** A linearizable read (jetcd retries reads on UNAVAILABLE; they are idempotent). */
    CompletableFuture<GetResponse> get(ByteSequence key, GetOption option) {
        return bounded(() -> kv.get(key, option));
    }

    /**
     * Deletes {@code key} if its value is still {@code owner}. Idempotent: owner tokens never
     * repeat, so a repeated or late delete can never remove another owner's key.
     *
     * @return whether the key existed with that value and was deleted
     */
    CompletableFuture<Boolean> deleteIfOwner(ByteSequence key, String owner) {
        return txn(List.of(ownerIs(key, owner)), List.of(Op.delete(key, DeleteOption.DEFAULT)), List.of())
                .thenApply(TxnResponse::isSucceeded);
    }

    /**
     * Deletes {@code key}, a key whose name carries its owner's token (a MUTEX queue entry or a
     * TXN reader key), with one plain delete and no owner check: only that owner ever writes
     * the key, and owner tokens never repeat, so the key's name already says whose it is. One
     * {@code DeleteRange} costs etcd less than a transaction that compares and deletes (jetcd's
     * {@code Lock} releases the same way). Not retried by jetcd ({@link DeleteOption#DEFAULT}
     * has no auto retry); bounded like {@link #txn}.
     *
     * @return whether the key existed and was deleted
     */
    CompletableFuture<Boolean> deleteOwnersKey(ByteSequence key) {
        Supplier<CompletableFuture<DeleteResponse>> call = () -> kv.delete(key, DeleteOption.DEFAULT);
        return lockPathCall(call).thenApply(r -> r.getDeleted() > 0);
    }

    CompletableFuture<io.etcd.jetcd.lease.LeaseGrantResponse> grant(long ttlSeconds) {
        return bounded(() -> lease.grant(ttlSeconds, timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Refreshes a lease with a request sent now: a message on the long-lived keep-alive stream
     * when there is one, else jetcd's {@code keepAliveOnce} (a stream per call).
     *
     * @return the lease's TTL in seconds; fails with NOT_FOUND when the lease does not exist
     */
    CompletableFuture<Long> refresh(long leaseId) {
        LeaseStream s = leaseStream;
        if (s != null && s.isReady()) {
            return s.refresh(leaseId);
        }
        return bounded(() -> lease.keepAliveOnce(leaseId)).thenApply(LeaseKeepAliveResponse::getTTL);
    }

    /** Closes the keep-alive stream of {@link #refresh}, if any. */
    void close() {
        if (leaseStream != null) {
            leaseStream.close();
        }
    }

    CompletableFuture<Void> revoke(long leaseId) {
        return bounded(() -> lease.revoke(leaseId)).thenApply(r -> null);
    }

    CompletableFuture<io.etcd.jetcd.lease.LeaseTimeToLiveResponse> timeToLive(long leaseId) {
        return bounded(() -> lease.timeToLive(leaseId, LeaseOption.DEFAULT));
    }

    CloseableClient keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> observer) {
        return lease.keepAlive(leaseId, observer);
    }

    Watch.Watcher watch(ByteSequence key, WatchOption option, Watch.Listener listener) {
        return watch.watch(key, option, listener);
    }

    static Cmp ownerIs(ByteSequence key, String owner) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(owner, StandardCharsets.UTF_8)));
    }

    static Cmp absent(ByteSequence key) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    }

    static Cmp createdAt(ByteSequence key, long revision) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(revision));
    }

    private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> call) {
        // A copy, so that the timeout does not complete jetcd's own future under its feet.
        return unbounded(call).copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Makes the call as it is: for calls that carry a gRPC deadline of their own. */
    private static <T> CompletableFuture<T> unbounded(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
