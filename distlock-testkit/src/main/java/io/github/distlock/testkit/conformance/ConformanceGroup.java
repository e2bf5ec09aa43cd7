package io.github.distlock.testkit.conformance;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.testkit.LockBackendFixture;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the conformance test groups: access to the backend fixture, resource tracking and the
 * timings every group derives from the fixture. A group is an abstract class of tests; the
 * {@link io.github.distlock.testkit.AbstractLockConformanceTest} runs each as a {@code @Nested}
 * class, so one subclass per backend runs them all.
 *
 * <p>Timing rules: nothing waits by sleeping. Expected events are awaited with Awaitility or
 * latches with deadlines; where the passage of time itself is under test (a lock must
 * <em>stay</em> held), {@link #assertThroughout} polls the condition for the whole period and
 * fails at the first poll where it is false.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ConformanceGroup {

    /** A TTL long enough that only a release (never expiry) can free the key during a test. */
    protected static final Duration LONG_TTL = Duration.ofSeconds(30);
    /**
     * How soon a waiter must get a released lock: only a release notification can explain a
     * hand-off this fast when the holder's TTL is {@link #LONG_TTL}.
     */
    protected static final Duration HANDOFF_DEADLINE = Duration.ofSeconds(2);
    /** Deadline for calls that must simply finish (not a measured timing). */
    protected static final Duration CALL_DEADLINE = Duration.ofSeconds(15);
    /** Scheduling slack allowed on top of an expected duration. */
    protected static final Duration SLACK = Duration.ofSeconds(2);

    private static final Duration POLL = Duration.ofMillis(10);

    private final ConformanceContext context;

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ConformanceGroup(ConformanceContext context) {
        this.context = context;
    }

    /** @return the running test's resources */
    protected ConformanceContext context() {
        return context;
    }

    /** @return the backend fixture */
    protected LockBackendFixture fixture() {
        return context.fixture();
    }

    /** @return a new client ("process"), closed after the test */
    protected DistributedLock newClient() {
        return context.newClient();
    }

    /**
     * Opens a client with options, closed after the test.
     *
     * @param options client options
     * @return the client
     */
    protected DistributedLock newClient(LockClientOptions options) {
        return context.newClient(options);
    }

    /** @return a fresh key no other test uses */
    protected static String randomKey() {
        return "conformance/" + UUID.randomUUID();
    }

    /** @return the fixture's short TTL, for tests that wait for expiry or renewal */
    protected Duration shortTtl() {
        return fixture().shortTtl();
    }

    /**
     * The fixture's TTL for tests that hold auto-renewed locks across several TTLs.
     *
     * @return {@link LockBackendFixture#watchdogTtl()}
     */
    protected Duration watchdogTtl() {
        return fixture().watchdogTtl();
    }

    /** @return the store's TTL granularity */
    protected Duration granularity() {
        return fixture().ttlGranularity();
    }

    /**
     * Returns the latest time after a grant at which the store must have freed a key whose TTL
     * ran out: the TTL, plus two units of granularity, plus scheduling slack.
     *
     * @param ttl the TTL
     * @return the deadline, measured from just before the grant
     */
    protected Duration expiryDeadline(Duration ttl) {
        return ttl.plus(granularity().multipliedBy(2)).plus(SLACK);
    }

    /** @return a period long enough to notice a waiter that wrongly got a lock after giving up */
    protected Duration quietPeriod() {
        Duration d = Duration.ofMillis(300);
        return granularity().compareTo(d) > 0 ? granularity() : d;
    }

    /** @return exclusive options with {@link #LONG_TTL}, renewed by the watchdog */
    protected static LockOptions longLived() {
        return LockOptions.builder().ttl(LONG_TTL).build();
    }

    /** @return shared options with {@link #LONG_TTL} */
    protected static LockOptions sharedLongLived() {
        return LockOptions.builder().ttl(LONG_TTL).lockType(LockType.SHARED).build();
    }

    /**
     * Returns exclusive options that let the lock expire after {@code ttl} (no watchdog).
     *
     * @param ttl the TTL
     * @return the options
     */
    protected static LockOptions expiring(Duration ttl) {
        return LockOptions.builder().ttl(ttl).autoRenew(false).build();
    }

    /**
     * Returns options whose blocking acquire waits at most {@code waitTimeout}.
     *
     * @param waitTimeout the wait timeout
     * @return the options (TTL {@link #LONG_TTL}, exclusive)
     */
    protected static LockOptions waitingAtMost(Duration waitTimeout) {
        return LockOptions.builder().ttl(LONG_TTL).waitTimeout(waitTimeout).build();
    }

    /**
     * Starts an Awaitility wait polling every 10 ms on the calling thread (so that conditions
     * may use the thread-bound API).
     *
     * @param atMost the deadline
     * @return the condition factory
     */
    protected static ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL).pollInSameThread();
    }

    /**
     * Asserts that {@code condition} stays true for the whole {@code period}: it is polled every
     * 10 ms and the assertion fails at the first poll where it is false. Use only where the
     * passage of time is what the test is about.
     *
     * @param period how long it must hold
     * @param what a description for the failure message
     * @param condition the condition
     */
    protected static void assertThroughout(Duration period, String what, Callable<Boolean> condition) {
        await(period.multipliedBy(2).plus(SLACK))
                .during(period)
                .failFast("stopped being true: " + what, () -> !condition.call())
                .until(condition);
    }

    /**
     * Runs a blocking call on a thread of the test's pool.
     *
     * @param call the call
     * @param <T> its result type
     * @return the running call
     */
    protected <T> BackgroundCall<T> inBackground(Callable<T> call) {
        return BackgroundCall.start(context.threads(), call);
    }

    /**
     * Returns the time since {@code startNanos}.
     *
     * @param startNanos a {@link System#nanoTime()} value
     * @return the elapsed time
     */
    protected static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
