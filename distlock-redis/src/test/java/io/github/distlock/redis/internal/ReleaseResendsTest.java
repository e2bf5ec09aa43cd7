package io.github.distlock.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a release cut off by a lost connection is sent again, and which failures count as one. */
class ReleaseResendsTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aResendWaitsUntilTheConnectionIsUpAndIsSentOnce() {
        // While the connection is down, a re-send would fail at once (and count as one).
        AtomicBoolean up = new AtomicBoolean();
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        ReleaseResends resends = new ReleaseResends(() -> {
            looks.incrementAndGet();
            return up.get();
        }, scheduler);

        resends.whenReconnected(sent::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 3);
        assertThat(sent).hasValue(0);

        up.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() == 1);
        int looked = looks.get();
        resends.whenReconnected(sent::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() == 2);
        assertThat(looks.get()).isEqualTo(looked + 1);
    }

    @Test
    void onlyALostConnectionCountsNotATimeoutOrAnErrorTheServerAnswered() {
        assertThat(ReleaseResends.connectionLost(new CompletionException(new SocketException("Connection reset")))).isTrue();
        assertThat(ReleaseResends.connectionLost(new RedisException(new SocketException("Connection reset")))).isTrue();
        assertThat(ReleaseResends.connectionLost(new RedisCommandTimeoutException("Command timed out"))).isFalse();
        assertThat(ReleaseResends.connectionLost(new RedisException("NOPERM no permissions"))).isFalse();
    }

    @Test
    void aClosedBackendDropsTheResend() {
        scheduler.shutdownNow();
        AtomicInteger sent = new AtomicInteger();
        new ReleaseResends(() -> true, scheduler).whenReconnected(sent::incrementAndGet);
        assertThat(sent).hasValue(0);
    }
}
