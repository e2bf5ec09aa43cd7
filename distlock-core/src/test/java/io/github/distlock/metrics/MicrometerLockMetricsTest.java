package io.github.distlock.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link MicrometerLockMetrics} on a {@link SimpleMeterRegistry}, fed by a real in-memory client. */
@Timeout(30)
class MicrometerLockMetricsTest {

    private static final LockOptions LONG = LockOptions.builder().ttl(Duration.ofSeconds(30)).build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    private final DistributedLock other = DistributedLocks.create(new InMemoryLockBackend(store));
    private DistributedLock client;
    private final String key = "metrics-" + UUID.randomUUID();

    private DistributedLock client(MicrometerLockMetrics metrics) {
        client = DistributedLocks.create(new InMemoryLockBackend(store),
                LockClientOptions.builder().eventListener(metrics).build());
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        other.close();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private long timerCount(String name, String... tags) {
        return registry.get(name).tags(tags).timer().count();
    }

    private double held() {
        return registry.get(MicrometerLockMetrics.HELD).tags("backend", "mem", "type", "exclusive").gauge().value();
    }

    @Test
    void recordsAcquiresTheirOutcomesAndTheLocksHeld() throws Exception {
        DistributedLock locks = client(MicrometerLockMetrics.builder(registry).build());
        LockLease first = locks.acquire(key, LONG);
        LockLease second = locks.acquire(key + "/2", LONG);
        assertThat(held()).isEqualTo(2);
        assertThat(timerCount(MicrometerLockMetrics.ACQUIRE, "outcome", "acquired")).isEqualTo(2);
        assertThat(count(MicrometerLockMetrics.ACQUIRED, "backend", "mem", "type", "exclusive")).isEqualTo(2);

        LockLease taken = other.acquire(key + "/taken", LONG);
        assertThat(locks.tryAcquire(key + "/taken", LONG)).isEmpty();
        assertThatThrownBy(() -> locks.acquire(key + "/taken", LONG.toBuilder().waitTimeout(Duration.ofMillis(20)).build()))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(timerCount(MicrometerLockMetrics.ACQUIRE, "outcome", "busy")).isEqualTo(1);
        assertThat(timerCount(MicrometerLockMetrics.ACQUIRE, "outcome", "timed_out")).isEqualTo(1);
        assertThat(count(MicrometerLockMetrics.TIMEOUTS)).isEqualTo(1);
        assertThat(count(MicrometerLockMetrics.ATTEMPTS)).isEqualTo(4);
        assertThat(timerCount(MicrometerLockMetrics.WAIT, "outcome", "timed_out")).isEqualTo(1);

        first.release();
        assertThat(held()).isEqualTo(1);
        assertThat(timerCount(MicrometerLockMetrics.HELD_DURATION, "outcome", "released")).isEqualTo(1);
        second.release();
        taken.release();
        assertThat(held()).isZero();
    }

    @Test
    void recordsRenewalsAndLosses() throws Exception {
        DistributedLock locks = client(MicrometerLockMetrics.builder(registry).build());
        LockLease renewed = locks.acquire(key, LONG);
        renewed.renew();
        assertThat(count(MicrometerLockMetrics.RENEWALS, "outcome", "renewed")).isEqualTo(1);
        LockLease expiring = locks.acquire(key + "/expiring",
                LockOptions.builder().ttl(Duration.ofMillis(100)).autoRenew(false).build());
        expiring.lost().toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(MicrometerLockMetrics.LOST).counter() != null);
        assertThat(count(MicrometerLockMetrics.LOST, "reason", "expired")).isEqualTo(1);
        assertThat(held()).isEqualTo(1);
        renewed.release();
        assertThat(held()).isZero();
    }

    @Test
    void neverTagsByKeyUnlessAsked() throws Exception {
        DistributedLock locks = client(MicrometerLockMetrics.builder(registry).build());
        for (int i = 0; i < 5; i++) {
            locks.acquire(key + "/" + i, LONG).release();
        }
        List<Meter> meters = registry.getMeters();
        assertThat(meters).isNotEmpty().allSatisfy(m -> {
            assertThat(m.getId().getName()).startsWith("distlock.");
            assertThat(m.getId().getTag("key")).isNull();
            assertThat(m.getId().getTag("backend")).isEqualTo("mem");
        });
        assertThat(registry.find(MicrometerLockMetrics.ACQUIRE).timers()).hasSize(1);
    }

    @Test
    void tagsByKeyAndCommonTagsWhenAsked() throws Exception {
        DistributedLock locks = client(MicrometerLockMetrics.builder(registry).keyTags(true)
                .tags(Tags.of(Tag.of("client", "orders"))).build());
        locks.acquire(key + "/a", LONG).release();
        locks.acquire(key + "/b", LONG).release();
        assertThat(registry.find(MicrometerLockMetrics.ACQUIRE).timers()).hasSize(2);
        assertThat(timerCount(MicrometerLockMetrics.ACQUIRE, "key", key + "/a", "client", "orders")).isEqualTo(1);
    }

    @Test
    void builderRejectsNulls() {
        assertThatThrownBy(() -> MicrometerLockMetrics.builder(null))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("registry"));
        assertThatThrownBy(() -> MicrometerLockMetrics.builder(registry).tags(null))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("tags"));
    }
}
