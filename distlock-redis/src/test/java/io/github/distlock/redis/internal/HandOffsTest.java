package io.github.distlock.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.spi.AcquireResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hand-off records: when one answers an attempt, and with how much TTL. */
class HandOffsTest {

    private static final long TTL_MS = 30_000;

    @Test
    void aHandOffAboveTheFloorAnswersOnceWithNoMoreThanTheTtlFromTheBusyAttemptsSend() {
        HandOffs handOffs = new HandOffs();
        HandOffs.Waiter waiter = new HandOffs.Waiter();
        waiter.sending();
        handOffs.waiting("owner", waiter, 100);
        waiter.accept(101);
        AcquireResult.Acquired granted = handOffs.take("owner", TTL_MS);
        assertThat(granted).isNotNull();
        assertThat(granted.fencingToken()).isEqualTo(101);
        assertThat(granted.ttl()).isLessThanOrEqualTo(Duration.ofMillis(TTL_MS)).isGreaterThanOrEqualTo(Duration.ofMillis(TTL_MS / 2));
        assertThat(handOffs.take("owner", TTL_MS)).isNull();
    }

    @Test
    void aHandOffNotAboveTheFloorMayPredateTheAttemptAndIsNotTrusted() {
        HandOffs handOffs = new HandOffs();
        HandOffs.Waiter waiter = new HandOffs.Waiter();
        waiter.sending();
        waiter.accept(100);
        handOffs.waiting("owner", waiter, 100);
        assertThat(handOffs.take("owner", TTL_MS)).isNull();
    }

    @Test
    void noHandOffOrAForgottenOneAnswersNothing() {
        HandOffs handOffs = new HandOffs();
        HandOffs.Waiter waiting = new HandOffs.Waiter();
        waiting.sending();
        handOffs.waiting("a", waiting, 5);
        assertThat(handOffs.take("a", TTL_MS)).isNull();
        HandOffs.Waiter released = new HandOffs.Waiter();
        released.sending();
        handOffs.waiting("b", released, 5);
        released.accept(6);
        handOffs.forget("b");
        assertThat(handOffs.take("b", TTL_MS)).isNull();
        HandOffs.Waiter cancelled = new HandOffs.Waiter();
        cancelled.sending();
        handOffs.waiting("c", cancelled, 5);
        cancelled.accept(6);
        handOffs.forget("c", cancelled);
        assertThat(handOffs.take("c", TTL_MS)).isNull();
    }
}
