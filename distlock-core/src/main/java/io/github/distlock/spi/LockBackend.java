package io.github.distlock.spi;

import io.github.distlock.LockInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A lock store, as the core engine sees it: a few atomic operations, each one round trip (or as
 * few as the store allows), none of which waits for another holder. All methods return futures
 * and must not block the caller; the core adds its own deadline, but a backend should also bound
 * every remote call.
 *
 * <p>Contract for every implementation (checked by the conformance suite):
 * <ul>
 *   <li>{@link #tryAcquire} grants an exclusive claim only when nobody holds the key and a shared
 *       claim only when no exclusive holder and no waiting exclusive claim exists; each grant
 *       gets a fencing token larger than all earlier grants of the key.</li>
 *   <li>{@link #release} and {@link #renew} act only when the claim's owner token still holds
 *       the key; they never touch another owner's grant.</li>
 *   <li>Releases wake the {@link AcquireResult.Busy#changed()} futures of waiters on the key.</li>
 * </ul>
 */
public interface LockBackend extends AutoCloseable {

    /** @return a short name for messages and metrics, for example {@code redis} */
    String name();

    /** @return the TTL limits the core validates requests against */
    BackendLimits limits();

    /**
     * Tells whether every future this backend returns is already bounded by a deadline of at
     * most the client's operation timeout (for example Lettuce's command timeout). The core then
     * skips its own timer per call, which matters on the hot path. The default, {@code false},
     * makes the core bound every call itself.
     *
     * @return {@code true} if the backend bounds every call
     */
    default boolean boundsEveryCall() {
        return false;
    }

    /**
     * Makes one attempt to take the claim.
     *
     * @param request the claim, TTL and whether to arm a wake-up
     * @return the outcome
     */
    CompletableFuture<AcquireResult> tryAcquire(AcquireRequest request);

    /**
     * Releases the claim if its owner holds it, and removes any queue entry or waiting marker the
     * owner left. Wakes waiters on the key.
     *
     * @param claim the claim
     * @return {@code true} if the owner held the key and it was released
     */
    CompletableFuture<Boolean> release(LockClaim claim);

    /**
     * {@link #release(LockClaim)}, saying whether the returned future may complete on the
     * backend's own I/O threads: with {@code completeInline} the core runs only its own
     * non-blocking code when it completes (see {@link AcquireRequest#completeInline()}). The
     * default ignores the hint.
     *
     * @param claim the claim
     * @param completeInline whether the future may complete on the backend's I/O threads
     * @return {@code true} if the owner held the key and it was released
     */
    default CompletableFuture<Boolean> release(LockClaim claim, boolean completeInline) {
        return release(claim);
    }

    /**
     * Extends the claim's TTL to {@code ttl} from now if its owner still holds the key.
     *
     * @param request the claim and new TTL
     * @return renewed (with the granted TTL) or not held
     */
    CompletableFuture<RenewResult> renew(RenewRequest request);

    /**
     * Renews many claims, as few round trips as the store allows. The default renews them one by
     * one; backends override it to batch (one script call on Redis, one keep-alive on etcd).
     *
     * @param requests the claims to renew
     * @return one result per request, in the same order
     */
    default CompletableFuture<List<RenewResult>> renewAll(List<RenewRequest> requests) {
        List<CompletableFuture<RenewResult>> each = new ArrayList<>(requests.size());
        for (RenewRequest r : requests) {
            each.add(renew(r));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<RenewResult> results = new ArrayList<>(each.size());
            for (CompletableFuture<RenewResult> f : each) {
                results.add(f.join());
            }
            return results;
        });
    }

    /**
     * Reads the key's state.
     *
     * @param key the lock key
     * @return holders, type, fencing token and remaining TTL
     */
    CompletableFuture<LockInfo> inspect(String key);

    /**
     * Lists the locks currently held whose key starts with {@code keyPrefix}, without blocking
     * the store (Redis: {@code SCAN}, never {@code KEYS}; etcd: ranged reads). The default says
     * the backend cannot list.
     *
     * @param keyPrefix the key prefix to match; empty for all
     * @param limit the most locks to return
     * @return the held locks, in no particular order
     */
    default CompletableFuture<List<LockInfo>> list(String keyPrefix, int limit) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "backend '" + name() + "' cannot list locks"));
    }

    /**
     * Closes connections this backend opened (not borrowed ones). Held locks are not released:
     * the core does that before closing the backend.
     */
    @Override
    void close();
}
