package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code tryLock}/{@code tryAcquire}: one attempt plus {@code retryCount} retries
 * {@code retryDelay} apart.
 */
public abstract class RetryConformance extends ConformanceGroup {

    private static final Duration RETRY_DELAY = Duration.ofMillis(100);

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected RetryConformance(ConformanceContext context) {
        super(context);
    }

    private static LockOptions retrying(int count, Duration delay) {
        return longLived().toBuilder().retryCount(count).retryDelay(delay).build();
    }

    /**
     * While the key stays held, {@code tryAcquire} gives up after its retries, having waited at least count × delay.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryAcquireRetriesThenGivesUp() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived());
        long start = System.nanoTime();
        assertThat(b.tryAcquire(key, retrying(3, RETRY_DELAY))).isEmpty();
        Duration took = since(start);
        assertThat(took).isGreaterThanOrEqualTo(RETRY_DELAY.multipliedBy(3)).isLessThan(RETRY_DELAY.multipliedBy(3).plus(SLACK));
    }

    /**
     * The same for the key-based {@code tryLock}; the thread holds nothing afterwards.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryLockRetriesThenGivesUp() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived());
        long start = System.nanoTime();
        assertThat(b.tryLock(key, retrying(4, RETRY_DELAY))).isFalse();
        assertThat(since(start)).isGreaterThanOrEqualTo(RETRY_DELAY.multipliedBy(4))
                .isLessThan(RETRY_DELAY.multipliedBy(4).plus(SLACK));
        assertThat(b.currentLease(key)).isEmpty();
    }

    /**
     * Without retries {@code tryAcquire} makes one attempt and does not wait.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void withoutRetriesTryAcquireDoesNotWait() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        a.acquire(key, longLived());
        Duration longDelay = Duration.ofSeconds(5);
        long start = System.nanoTime();
        assertThat(b.tryAcquire(key, retrying(0, longDelay))).isEmpty();
        assertThat(since(start)).isLessThan(longDelay);
    }

    /**
     * A key released during the retries is acquired by a later retry.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void tryAcquireSucceedsWhenReleasedDuringRetries() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        BackgroundCall<Optional<LockLease>> trying = inBackground(() -> b.tryAcquire(key, retrying(100, Duration.ofMillis(50))));
        assertThroughout(quietPeriod(), "still retrying (the first attempt failed)", () -> !trying.isDone());
        holder.release();
        Optional<LockLease> lease = trying.result(CALL_DEADLINE);
        assertThat(lease).isPresent();
        assertThat(lease.get().fencingToken()).isGreaterThan(holder.fencingToken());
        assertThat(a.getLockInfo(key).fencingToken()).isEqualTo(lease.get().fencingToken());
    }

    /**
     * {@code tryLock} interrupted between retries throws {@link InterruptedException} and never takes the key later.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void interruptedRetriesLeaveNothingBehind() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        DistributedLock c = newClient();
        String key = randomKey();
        LockLease holder = a.acquire(key, longLived());
        BackgroundCall<Boolean> trying = inBackground(() -> b.tryLock(key, retrying(1000, Duration.ofMillis(20))));
        assertThroughout(quietPeriod(), "still retrying", () -> !trying.isDone());
        trying.interrupt();
        assertThat(trying.failure(CALL_DEADLINE)).isInstanceOf(InterruptedException.class);
        holder.release();
        assertThroughout(quietPeriod(), "the interrupted caller did not take the key later", () -> !c.isLocked(key));
        assertThat(c.tryAcquire(key, longLived())).isPresent();
    }
}
