package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code isLocked} and {@code getLockInfo}: what any client sees of a key.
 */
public abstract class InspectionConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected InspectionConformance(ConformanceContext context) {
        super(context);
    }

    /** A key nobody ever locked is free: no holders, no type, no remaining TTL. */
    @Test
    protected void freeKeyIsReportedFree() {
        DistributedLock a = newClient();
        String key = randomKey();
        assertThat(a.isLocked(key)).isFalse();
        LockInfo info = a.getLockInfo(key);
        assertThat(info.key()).isEqualTo(key);
        assertThat(info.held()).isFalse();
        assertThat(info.holderCount()).isZero();
        assertThat(info.type()).isEmpty();
        assertThat(info.remainingTtl()).isZero();
    }

    /**
     * An exclusive holder is reported with count 1, type EXCLUSIVE and a remaining TTL within its TTL.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void exclusiveHolderIsReported() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        Duration ttl = Duration.ofSeconds(10);
        LockLease lease = a.acquire(key, expiring(ttl));
        for (DistributedLock observer : List.of(a, b)) {
            assertThat(observer.isLocked(key)).isTrue();
            LockInfo info = observer.getLockInfo(key);
            assertThat(info.held()).isTrue();
            assertThat(info.holderCount()).isEqualTo(1);
            assertThat(info.type()).contains(LockType.EXCLUSIVE);
            assertThat(info.remainingTtl()).isPositive().isLessThanOrEqualTo(ttl.plus(granularity()));
            assertThat(info.fencingToken()).isEqualTo(lease.fencingToken());
        }
        lease.release();
    }

    /**
     * N shared holders across clients are reported with count N and type SHARED; the count follows releases.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void sharedHoldersAreCounted() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        List<LockLease> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add((i % 2 == 0 ? a : b).acquire(key, sharedLongLived()));
        }
        LockInfo info = observer.getLockInfo(key);
        assertThat(info.holderCount()).isEqualTo(3);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.remainingTtl()).isPositive().isLessThanOrEqualTo(LONG_TTL.plus(granularity()));
        for (int i = 0; i < 3; i++) {
            readers.get(i).release();
            assertThat(observer.getLockInfo(key).holderCount()).isEqualTo(2 - i);
        }
        assertThat(observer.isLocked(key)).isFalse();
        assertThat(observer.getLockInfo(key).type()).isEmpty();
    }

    /**
     * A released key is reported free again.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void releasedKeyIsReportedFree() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived()).release();
        LockInfo info = b.getLockInfo(key);
        assertThat(info.held()).isFalse();
        assertThat(info.holderCount()).isZero();
        assertThat(info.remainingTtl()).isZero();
    }

    /**
     * {@code getLockInfoAsync} reports the same as {@code getLockInfo}.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void getLockInfoAsyncReportsTheHolder() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        LockInfo info = b.getLockInfoAsync(key).get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(info.holderCount()).isEqualTo(1);
        assertThat(info.type()).contains(LockType.EXCLUSIVE);
        assertThat(info.fencingToken()).isEqualTo(lease.fencingToken());
        lease.release();
    }
}
