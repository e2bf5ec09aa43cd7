package io.github.distlock.mem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.LockInfo;
import io.github.distlock.LockType;
import io.github.distlock.spi.AcquireRequest;
import io.github.distlock.spi.AcquireResult;
import io.github.distlock.spi.LockClaim;
import io.github.distlock.spi.RenewResult;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-memory store's semantics, with time moved by hand. */
class InMemoryLockStoreTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final InMemoryLockStore store = new InMemoryLockStore(clock);
    private final String key = "k-" + UUID.randomUUID();

    private static LockClaim claim(String key, LockType type) {
        return new LockClaim(key, type, UUID.randomUUID().toString());
    }

    private AcquireResult attempt(LockClaim c, Duration ttl, boolean prepareWait) {
        return store.tryAcquire(new AcquireRequest(c, ttl, false, prepareWait));
    }

    private AcquireResult.Acquired grant(LockClaim c, Duration ttl) {
        AcquireResult r = attempt(c, ttl, false);
        assertThat(r).isInstanceOf(AcquireResult.Acquired.class);
        return (AcquireResult.Acquired) r;
    }

    private AcquireResult.Busy busy(LockClaim c, Duration ttl, boolean prepareWait) {
        AcquireResult r = attempt(c, ttl, prepareWait);
        assertThat(r).isInstanceOf(AcquireResult.Busy.class);
        return (AcquireResult.Busy) r;
    }

    @Test
    void exclusiveIsBusyWhileHeldAndRechecksAtTheHoldersRemainingTtl() {
        grant(claim(key, LockType.EXCLUSIVE), TTL);
        clock.advance(Duration.ofSeconds(3));
        AcquireResult.Busy b = busy(claim(key, LockType.EXCLUSIVE), TTL, false);
        assertThat(b.recheckAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(b.changed()).isNull();
        assertThat(b.enqueued()).isFalse();
    }

    @Test
    void holderExpiresExactlyAtItsTtl() {
        grant(claim(key, LockType.EXCLUSIVE), TTL);
        clock.advance(TTL.minusNanos(1));
        busy(claim(key, LockType.EXCLUSIVE), TTL, false);
        clock.advance(Duration.ofNanos(1));
        grant(claim(key, LockType.EXCLUSIVE), TTL);
    }

    @Test
    void releaseWakesWaitersButExpiryDoesNot() {
        LockClaim holder = claim(key, LockType.EXCLUSIVE);
        grant(holder, TTL);
        CompletableFuture<Void> w1 = busy(claim(key, LockType.EXCLUSIVE), TTL, true).changed();
        assertThat(store.release(holder)).isTrue();
        assertThat(w1).isCompleted();

        LockClaim second = claim(key, LockType.EXCLUSIVE);
        grant(second, TTL);
        CompletableFuture<Void> w2 = busy(claim(key, LockType.EXCLUSIVE), TTL, true).changed();
        clock.advance(TTL);
        grant(claim(key, LockType.EXCLUSIVE), TTL);
        assertThat(w2).as("expiry publishes nothing").isNotDone();
    }

    @Test
    void releaseAndRenewAreOwnerAndTypeChecked() {
        LockClaim holder = claim(key, LockType.EXCLUSIVE);
        long token = grant(holder, TTL).fencingToken();
        CompletableFuture<Void> waiter = busy(claim(key, LockType.EXCLUSIVE), TTL, true).changed();
        LockClaim stranger = claim(key, LockType.EXCLUSIVE);
        LockClaim wrongType = new LockClaim(key, LockType.SHARED, holder.ownerToken());

        assertThat(store.release(stranger)).isFalse();
        assertThat(store.release(wrongType)).isFalse();
        assertThat(store.renew(stranger, Duration.ofHours(1)).renewed()).isFalse();
        assertThat(store.renew(wrongType, Duration.ofHours(1)).renewed()).isFalse();
        assertThat(waiter).as("refused releases wake nobody").isNotDone();
        LockInfo info = store.inspect(key);
        assertThat(info.fencingToken()).isEqualTo(token);
        assertThat(info.remainingTtl()).isEqualTo(TTL);
    }

    @Test
    void renewExtendsFromNowAndFailsAfterExpiry() {
        LockClaim holder = claim(key, LockType.EXCLUSIVE);
        grant(holder, TTL);
        clock.advance(Duration.ofSeconds(8));
        RenewResult r = store.renew(holder, TTL);
        assertThat(r.renewed()).isTrue();
        assertThat(r.ttl()).isEqualTo(TTL);
        clock.advance(Duration.ofSeconds(8));
        assertThat(store.inspect(key).remainingTtl()).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.renew(holder, TTL).renewed()).isFalse();
        assertThat(store.inspect(key).held()).isFalse();
    }

    @Test
    void fencingTokensIncreaseAcrossReleaseExpiryAndKeys() {
        long t1 = grant(claim(key, LockType.EXCLUSIVE), TTL).fencingToken();
        clock.advance(TTL);
        LockClaim c2 = claim(key, LockType.EXCLUSIVE);
        long t2 = grant(c2, TTL).fencingToken();
        store.release(c2);
        long other = grant(claim(key + "-other", LockType.EXCLUSIVE), TTL).fencingToken();
        long t3 = grant(claim(key, LockType.SHARED), TTL).fencingToken();
        long t4 = grant(claim(key, LockType.SHARED), TTL).fencingToken();
        assertThat(t1).isPositive();
        assertThat(t2).isGreaterThan(t1);
        assertThat(other).isGreaterThan(t2);
        assertThat(t3).isGreaterThan(t2);
        assertThat(t4).isGreaterThan(t3);
    }

    @Test
    void repeatedAttemptOfTheSameOwnerGetsTheSameGrant() {
        LockClaim holder = claim(key, LockType.EXCLUSIVE);
        long token = grant(holder, TTL).fencingToken();
        assertThat(grant(holder, TTL).fencingToken()).isEqualTo(token);
        assertThat(store.inspect(key).holderCount()).isEqualTo(1);
    }

    @Test
    void waitingWriterBlocksNewReadersUntilItGivesUp() {
        LockClaim reader = claim(key, LockType.SHARED);
        grant(reader, TTL);
        LockClaim writer = claim(key, LockType.EXCLUSIVE);
        AcquireResult.Busy w = busy(writer, TTL, true);
        assertThat(w.enqueued()).isTrue();
        AcquireResult.Busy lateReader = busy(claim(key, LockType.SHARED), TTL, true);
        assertThat(lateReader.enqueued()).isFalse();

        assertThat(store.release(writer)).as("the writer held nothing").isFalse();
        assertThat(lateReader.changed()).as("giving up wakes the readers behind it").isCompleted();
        grant(claim(key, LockType.SHARED), TTL);
    }

    @Test
    void waitingWriterGetsTheKeyAfterTheReadersAndNewReadersWaitBehindIt() {
        LockClaim reader = claim(key, LockType.SHARED);
        grant(reader, TTL);
        LockClaim writer = claim(key, LockType.EXCLUSIVE);
        CompletableFuture<Void> writerWake = busy(writer, TTL, true).changed();
        store.release(reader);
        assertThat(writerWake).isCompleted();
        busy(claim(key, LockType.SHARED), TTL, false);
        grant(writer, TTL);
        assertThat(store.inspect(key).type()).contains(LockType.EXCLUSIVE);
    }

    @Test
    void abandonedWriterMarkerExpires() {
        grant(claim(key, LockType.SHARED), TTL);
        busy(claim(key, LockType.EXCLUSIVE), TTL, true);
        busy(claim(key, LockType.SHARED), TTL, false);
        clock.advance(TTL.multipliedBy(2));
        grant(claim(key, LockType.SHARED), TTL);
    }

    @Test
    void waitingWriterRechecksWhenTheHoldersExpireNotLater() {
        LockClaim crashed = claim(key, LockType.SHARED);
        LockClaim alive = claim(key, LockType.SHARED);
        grant(crashed, TTL);
        grant(alive, TTL);
        LockClaim writer = claim(key, LockType.EXCLUSIVE);
        assertThat(busy(writer, TTL, true).recheckAfter()).isEqualTo(TTL);

        clock.advance(Duration.ofSeconds(1));
        store.release(alive);
        AcquireResult.Busy again = busy(writer, TTL, true);
        assertThat(again.recheckAfter()).as("the writer's own marker must not delay its re-check")
                .isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void readerBlockedByAWaitingWriterRechecksWhenTheMarkerCouldEnd() {
        grant(claim(key, LockType.SHARED), TTL);
        busy(claim(key, LockType.EXCLUSIVE), TTL, true);
        AcquireResult.Busy reader = busy(claim(key, LockType.SHARED), TTL, true);
        assertThat(reader.recheckAfter()).isPositive().isLessThanOrEqualTo(TTL.multipliedBy(2));
    }

    @Test
    void inspectReportsHoldersTypeTokenAndLongestRemainingTtl() {
        assertThat(store.inspect(key).held()).isFalse();
        long t1 = grant(claim(key, LockType.SHARED), Duration.ofSeconds(5)).fencingToken();
        long t2 = grant(claim(key, LockType.SHARED), Duration.ofSeconds(20)).fencingToken();
        clock.advance(Duration.ofSeconds(2));
        LockInfo info = store.inspect(key);
        assertThat(info.holderCount()).isEqualTo(2);
        assertThat(info.type()).contains(LockType.SHARED);
        assertThat(info.fencingToken()).isEqualTo(Math.max(t1, t2));
        assertThat(info.remainingTtl()).isEqualTo(Duration.ofSeconds(18));
        clock.advance(Duration.ofSeconds(3));
        assertThat(store.inspect(key).holderCount()).isEqualTo(1);
    }

    @Test
    void emptyKeysAndCancelledWatchersAreDropped() {
        LockClaim holder = claim(key, LockType.EXCLUSIVE);
        grant(holder, TTL);
        LockClaim waiter = claim(key, LockType.EXCLUSIVE);
        CompletableFuture<Void> w = busy(waiter, TTL, true).changed();
        w.cancel(false);
        assertThat(store.watcherCount()).isZero();
        store.release(holder);
        assertThat(store.keyCount()).as("the waiting writer's marker remains until it gives up").isEqualTo(1);
        store.release(waiter);
        assertThat(store.keyCount()).isZero();

        grant(claim(key, LockType.EXCLUSIVE), TTL);
        clock.advance(TTL);
        store.inspect(key);
        assertThat(store.keyCount()).isZero();
    }
}
