package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens: every grant of a key gets a token larger than every earlier grant of that key,
 * across holders, clients, expiry and lock types.
 */
public abstract class FencingConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected FencingConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Tokens strictly increase across successive holders on different clients and both APIs.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tokensIncreaseAcrossHoldersAndClients() throws Exception {
        List<DistributedLock> clients = List.of(newClient(), newClient(), newClient());
        String key = randomKey();
        long last = 0;
        for (int i = 0; i < 12; i++) {
            DistributedLock c = clients.get(i % clients.size());
            long token;
            if (i % 2 == 0) {
                LockLease lease = c.acquire(key, longLived());
                token = lease.fencingToken();
                lease.release();
            } else {
                c.lock(key, longLived());
                token = c.currentLease(key).orElseThrow().fencingToken();
                c.unlock(key);
            }
            assertThat(token).as("grant %d", i).isGreaterThan(last);
            last = token;
        }
    }

    /**
     * A grant after the previous holder expired gets a larger token.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tokensIncreaseAfterExpiry() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = shortTtl();
        LockLease first = a.acquire(key, expiring(ttl));
        LockLease second = b.acquire(key, waitingAtMost(expiryDeadline(ttl)));
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        second.release();
        LockLease third = a.acquire(key, longLived());
        assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
    }

    /**
     * Shared grants get increasing tokens too, and a writer after them a larger one, and a reader after it a larger one still.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sharedGrantsGetIncreasingTokens() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease r1 = a.acquire(key, sharedLongLived());
        LockLease r2 = b.acquire(key, sharedLongLived());
        LockLease r3 = a.acquire(key, sharedLongLived());
        assertThat(r2.fencingToken()).isGreaterThan(r1.fencingToken());
        assertThat(r3.fencingToken()).isGreaterThan(r2.fencingToken());
        assertThat(b.getLockInfo(key).fencingToken()).isEqualTo(r3.fencingToken());
        r1.release();
        r2.release();
        r3.release();
        LockLease w = b.acquire(key, longLived());
        assertThat(w.fencingToken()).isGreaterThan(r3.fencingToken());
        w.release();
        LockLease r4 = a.acquire(key, sharedLongLived());
        assertThat(r4.fencingToken()).isGreaterThan(w.fencingToken());
    }

    /**
     * {@code getLockInfo} reports the holder's token.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void lockInfoReportsTheHoldersToken() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        assertThat(b.getLockInfo(key).fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(a.getLockInfo(key).fencingToken()).isEqualTo(lease.fencingToken());
        lease.release();
        a.lock(key, longLived());
        assertThat(b.getLockInfo(key).fencingToken()).isEqualTo(a.currentLease(key).orElseThrow().fencingToken())
                .isGreaterThan(lease.fencingToken());
        a.unlock(key);
    }
}
