package io.github.distlock.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Deadlines}: one coarse clock for the deadlines of the acquire and release path. */
class DeadlinesTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void anOperationThatDoesNotCompleteExpiresAndOneThatCompletesDoesNot() throws Exception {
        Deadlines deadlines = new Deadlines(scheduler, Duration.ofMillis(50));
        CompletableFuture<String> stuck = new CompletableFuture<>();
        CompletableFuture<String> answered = new CompletableFuture<>();
        AtomicInteger answeredExpired = new AtomicInteger();
        deadlines.orTimeout(stuck);
        deadlines.watch(answered, answeredExpired::incrementAndGet);
        answered.complete("ok");

        assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadlines.pending() == 0);
        assertThat(answered.get()).isEqualTo("ok");
        assertThat(answeredExpired).hasValue(0);
    }

    @Test
    void everyOperationOfABurstIsSettledAndTheClockStopsWhenNoneIsLeft() {
        Deadlines deadlines = new Deadlines(scheduler, Duration.ofMillis(20));
        List<CompletableFuture<Integer>> ops = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            CompletableFuture<Integer> op = deadlines.orTimeout(new CompletableFuture<>());
            if (i % 2 == 0) {
                op.complete(i);
            }
            ops.add(op);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> ops.stream().allMatch(CompletableFuture::isDone));
        for (int i = 0; i < ops.size(); i++) {
            assertThat(ops.get(i).isCompletedExceptionally()).as("operation %d", i).isEqualTo(i % 2 == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadlines.pending() == 0 && scheduler.getQueue().isEmpty());

        // The clock starts again for the next operation.
        CompletableFuture<Integer> late = deadlines.orTimeout(new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).until(late::isCompletedExceptionally);
    }

    @Test
    void anExpiryActionThatThrowsDoesNotStopTheOthers() {
        Deadlines deadlines = new Deadlines(scheduler, Duration.ofMillis(20));
        deadlines.watch(new CompletableFuture<>(), () -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<Void> next = deadlines.orTimeout(new CompletableFuture<>());

        await().atMost(Duration.ofSeconds(10)).until(next::isCompletedExceptionally);
    }

    @Test
    void aShutDownTimerThreadIsReportedToTheCaller() {
        Deadlines deadlines = new Deadlines(scheduler, Duration.ofMillis(20));
        scheduler.shutdown();

        assertThatThrownBy(() -> deadlines.orTimeout(new CompletableFuture<>()))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
