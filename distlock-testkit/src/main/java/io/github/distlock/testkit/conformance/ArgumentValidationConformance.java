package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockLease;
import io.github.distlock.LockManager;
import io.github.distlock.LockOptions;
import io.github.distlock.LockService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Bad input (SPEC §2.10): every call rejects it with an {@link InvalidLockArgumentException}
 * naming the parameter, before anything reaches the store; use after close gets
 * {@link LockClosedException}.
 */
public abstract class ArgumentValidationConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected ArgumentValidationConformance(ConformanceContext context) {
        super(context);
    }

    /** Every key-taking call of a client, by name. */
    private static Map<String, Function<String, Callable<?>>> keyCalls(DistributedLock c) {
        LockOptions o = longLived();
        Map<String, Function<String, Callable<?>>> calls = new LinkedHashMap<>();
        calls.put("tryLock(key)", k -> () -> c.tryLock(k));
        calls.put("tryLock(key, options)", k -> () -> c.tryLock(k, o));
        calls.put("lock(key)", k -> () -> {
            c.lock(k);
            return null;
        });
        calls.put("lock(key, options)", k -> () -> {
            c.lock(k, o);
            return null;
        });
        calls.put("unlock(key)", k -> () -> {
            c.unlock(k);
            return null;
        });
        calls.put("renew(key, ttl)", k -> () -> {
            c.renew(k, LONG_TTL);
            return null;
        });
        calls.put("isLocked(key)", k -> () -> c.isLocked(k));
        calls.put("currentLease(key)", k -> () -> c.currentLease(k));
        calls.put("tryAcquire(key)", k -> () -> c.tryAcquire(k));
        calls.put("tryAcquire(key, options)", k -> () -> c.tryAcquire(k, o));
        calls.put("acquire(key)", k -> () -> c.acquire(k));
        calls.put("acquire(key, options)", k -> () -> c.acquire(k, o));
        calls.put("acquireAsync(key, options)", k -> () -> c.acquireAsync(k, o));
        calls.put("tryAcquireAsync(key, options)", k -> () -> c.tryAcquireAsync(k, o));
        calls.put("getLockInfo(key)", k -> () -> c.getLockInfo(k));
        calls.put("getLockInfoAsync(key)", k -> () -> c.getLockInfoAsync(k));
        return calls;
    }

    /** Every call of a client that takes options, given a null options argument. */
    private static Map<String, Callable<?>> nullOptionCalls(DistributedLock c, String key) {
        Map<String, Callable<?>> calls = new LinkedHashMap<>();
        calls.put("tryLock", () -> c.tryLock(key, null));
        calls.put("lock", () -> {
            c.lock(key, null);
            return null;
        });
        calls.put("tryAcquire", () -> c.tryAcquire(key, null));
        calls.put("acquire", () -> c.acquire(key, null));
        calls.put("acquireAsync", () -> c.acquireAsync(key, null));
        calls.put("tryAcquireAsync", () -> c.tryAcquireAsync(key, null));
        return calls;
    }

    /**
     * Runs a call and returns what it threw, or what the future it returned failed with; null
     * when it succeeded.
     */
    private static Throwable failureOf(Callable<?> call) {
        Throwable thrown = catchThrowable(() -> {
            Object result = call.call();
            if (result instanceof CompletableFuture<?> future) {
                try {
                    future.get(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause();
                }
            }
        });
        return thrown;
    }

    private static void expectRejected(SoftAssertions softly, String what, String parameter, Callable<?> call) {
        Throwable t = failureOf(call);
        softly.assertThat(t).as(what).isInstanceOf(InvalidLockArgumentException.class);
        if (t instanceof InvalidLockArgumentException e) {
            softly.assertThat(e.parameter()).as(what + ": parameter()").isEqualTo(parameter);
            softly.assertThat(e.getMessage()).as(what + ": message names the parameter").contains(parameter);
        }
    }

    private void expectKeyRejectedEverywhere(List<String> badKeys) {
        DistributedLock c = newClient();
        SoftAssertions softly = new SoftAssertions();
        for (String bad : badKeys) {
            keyCalls(c).forEach((name, call) -> expectRejected(softly,
                    name + " with key " + printable(bad), "key", call.apply(bad)));
        }
        softly.assertAll();
    }

    private static String printable(String key) {
        if (key == null) {
            return "null";
        }
        String shown = key.length() > 40 ? key.substring(0, 40) + "...(" + key.length() + " chars)" : key;
        StringBuilder b = new StringBuilder("'");
        shown.chars().forEach(ch -> b.append(Character.isISOControl(ch) ? String.format("\\u%04x", ch) : String.valueOf((char) ch)));
        return b.append('\'').toString();
    }

    /** A null key is rejected by every call. */
    @Test
    protected void nullKeyIsRejectedByEveryCall() {
        expectKeyRejectedEverywhere(java.util.Collections.singletonList(null));
    }

    /** Empty and blank keys are rejected by every call. */
    @Test
    protected void blankKeysAreRejectedByEveryCall() {
        expectKeyRejectedEverywhere(List.of("", " ", "   ", "\t \n"));
    }

    /** A key longer than {@link DistributedLock#MAX_KEY_LENGTH} is rejected by every call, naming the limit. */
    @Test
    protected void tooLongKeyIsRejectedByEveryCall() {
        String tooLong = "k".repeat(DistributedLock.MAX_KEY_LENGTH + 1);
        expectKeyRejectedEverywhere(List.of(tooLong, "k".repeat(100_000)));
        Throwable t = failureOf(() -> newClient().isLocked(tooLong));
        assertThat(t).hasMessageContaining(String.valueOf(DistributedLock.MAX_KEY_LENGTH));
    }

    /** Keys with control characters are rejected by every call. */
    @Test
    protected void keysWithControlCharactersAreRejectedByEveryCall() {
        expectKeyRejectedEverywhere(List.of("a\nb", "a\u0000b", "\u007fx", "x\u0085", "tab\there", "x\r"));
    }

    /**
     * Keys with an unpaired surrogate are rejected by every call: such a key has no UTF-8 form, so
     * a store would see {@code '?'} in its place and two different keys would name one lock.
     */
    @Test
    protected void keysWithUnpairedSurrogatesAreRejectedByEveryCall() {
        expectKeyRejectedEverywhere(List.of("\uD800", "a\uDC00b", "x\uD83D", "\uDD12y"));
        assertThat(failureOf(() -> newClient().isLocked("ab\uD800")))
                .hasMessageContaining("unpaired surrogate \\ud800 at index 2");
    }

    /**
     * A key of exactly {@link DistributedLock#MAX_KEY_LENGTH} characters works like any other.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyOfMaximumLengthIsAccepted() throws Exception {
        DistributedLock a = newClient();
        DistributedLock b = newClient();
        String base = randomKey();
        String key = base + "-" + "\u00e9".repeat(DistributedLock.MAX_KEY_LENGTH - base.length() - 1);
        assertThat(key).hasSize(DistributedLock.MAX_KEY_LENGTH);
        LockLease lease = a.acquire(key, longLived());
        assertThat(b.isLocked(key)).isTrue();
        assertThat(b.getLockInfo(key).key()).isEqualTo(key);
        assertThat(lease.release()).isTrue();
    }

    /**
     * Zero, negative and null TTLs are rejected by the options builder and by every renew.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void nonPositiveTtlsAreRejected() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        LockLease lease = a.acquire(key, longLived());
        String keyBased = randomKey();
        a.lock(keyBased, longLived());
        SoftAssertions softly = new SoftAssertions();
        for (Duration bad : java.util.Arrays.asList(Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(-30), null)) {
            expectRejected(softly, "LockOptions.ttl(" + bad + ")", "ttl", () -> LockOptions.builder().ttl(bad));
            expectRejected(softly, "lease.renew(" + bad + ")", "ttl", () -> {
                lease.renew(bad);
                return null;
            });
            expectRejected(softly, "lease.renewAsync(" + bad + ")", "ttl", () -> lease.renewAsync(bad));
            expectRejected(softly, "renew(key, " + bad + ")", "ttl", () -> {
                a.renew(keyBased, bad);
                return null;
            });
        }
        softly.assertAll();
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.ttl()).isEqualTo(LONG_TTL);
        assertThat(a.currentLease(keyBased).orElseThrow().ttl()).isEqualTo(LONG_TTL);
    }

    /**
     * A TTL below the backend's minimum is rejected by every acquire and renew, and the key stays free.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void ttlBelowTheBackendMinimumIsRejectedBeforeAnythingIsSent() throws Exception {
        Duration below = fixture().minimumTtl().minusNanos(1);
        DistributedLock a = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        LockOptions tooShort = LockOptions.builder().ttl(below).autoRenew(false).build();
        SoftAssertions softly = new SoftAssertions();
        expectRejected(softly, "tryAcquire", "ttl", () -> a.tryAcquire(key, tooShort));
        expectRejected(softly, "acquire", "ttl", () -> a.acquire(key, tooShort));
        expectRejected(softly, "acquireAsync", "ttl", () -> a.acquireAsync(key, tooShort));
        expectRejected(softly, "tryAcquireAsync", "ttl", () -> a.tryAcquireAsync(key, tooShort));
        expectRejected(softly, "tryLock", "ttl", () -> a.tryLock(key, tooShort));
        expectRejected(softly, "lock", "ttl", () -> {
            a.lock(key, tooShort);
            return null;
        });
        softly.assertAll();
        assertThat(observer.isLocked(key)).as("nothing was granted").isFalse();
        assertThat(a.currentLease(key)).isEmpty();
        Throwable t = failureOf(() -> a.tryAcquire(key, tooShort));
        assertThat(t.getMessage()).as("the message names the value").contains(below.toString());

        String held = randomKey();
        LockLease lease = a.acquire(held, longLived());
        a.lock(held + "-k", longLived());
        SoftAssertions renewals = new SoftAssertions();
        expectRejected(renewals, "lease.renew", "ttl", () -> {
            lease.renew(below);
            return null;
        });
        expectRejected(renewals, "renew(key)", "ttl", () -> {
            a.renew(held + "-k", below);
            return null;
        });
        renewals.assertAll();
        assertThat(observer.getLockInfo(held).remainingTtl()).isGreaterThan(below);
    }

    /**
     * The backend's minimum TTL itself is accepted.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void minimumTtlIsAccepted() throws Exception {
        DistributedLock a = newClient();
        String key = randomKey();
        LockOptions minimum = LockOptions.builder().ttl(fixture().minimumTtl()).autoRenew(false).build();
        assertThat(a.tryAcquire(key, minimum)).isPresent();
    }

    /** Negative or null retry count, retry delay and wait timeout, and a null lock type, are rejected by name. */
    @Test
    protected void badRetryWaitAndTypeValuesAreRejected() {
        SoftAssertions softly = new SoftAssertions();
        expectRejected(softly, "retryCount(-1)", "retryCount", () -> LockOptions.builder().retryCount(-1));
        expectRejected(softly, "retryCount(MAX + 1)", "retryCount",
                () -> LockOptions.builder().retryCount(LockOptions.MAX_RETRY_COUNT + 1));
        expectRejected(softly, "retryDelay(-1 ms)", "retryDelay", () -> LockOptions.builder().retryDelay(Duration.ofMillis(-1)));
        expectRejected(softly, "retryDelay(null)", "retryDelay", () -> LockOptions.builder().retryDelay(null));
        expectRejected(softly, "waitTimeout(-1 ms)", "waitTimeout", () -> LockOptions.builder().waitTimeout(Duration.ofMillis(-1)));
        expectRejected(softly, "waitTimeout(null)", "waitTimeout", () -> LockOptions.builder().waitTimeout(null));
        expectRejected(softly, "lockType(null)", "lockType", () -> LockOptions.builder().lockType(null));
        softly.assertAll();
        assertThat(failureOf(() -> LockOptions.builder().retryCount(-7))).hasMessageContaining("-7");
        assertThat(failureOf(() -> LockOptions.builder().waitTimeout(Duration.ofMillis(-5)))).hasMessageContaining("PT-0.005S");
    }

    /** Null options are rejected by every call that takes options, and the key stays free. */
    @Test
    protected void nullOptionsAreRejectedBeforeAnythingIsSent() {
        DistributedLock a = newClient();
        DistributedLock observer = newClient();
        String key = randomKey();
        SoftAssertions softly = new SoftAssertions();
        nullOptionCalls(a, key).forEach((name, call) -> expectRejected(softly, name + "(key, null)", "options", call));
        softly.assertAll();
        assertThat(observer.isLocked(key)).isFalse();
    }

    /** Bad client options are rejected by name. */
    @Test
    protected void badClientOptionsAreRejected() {
        SoftAssertions softly = new SoftAssertions();
        expectRejected(softly, "operationTimeout(0)", "operationTimeout",
                () -> LockClientOptions.builder().operationTimeout(Duration.ZERO));
        expectRejected(softly, "operationTimeout(null)", "operationTimeout",
                () -> LockClientOptions.builder().operationTimeout(null));
        expectRejected(softly, "clockDriftFactor(0.5)", "clockDriftFactor", () -> LockClientOptions.builder().clockDriftFactor(0.5));
        expectRejected(softly, "clockDriftFactor(-0.1)", "clockDriftFactor", () -> LockClientOptions.builder().clockDriftFactor(-0.1));
        expectRejected(softly, "clockDriftFactor(NaN)", "clockDriftFactor", () -> LockClientOptions.builder().clockDriftFactor(Double.NaN));
        expectRejected(softly, "defaultLockOptions(null)", "defaultLockOptions",
                () -> LockClientOptions.builder().defaultLockOptions(null));
        softly.assertAll();
    }

    /**
     * Bad arguments to {@link LockService} and {@link LockManager} are rejected by name; the work never runs.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void serviceAndManagerRejectBadArguments() throws Exception {
        LockService service = context().newService();
        LockManager manager = context().newManager();
        String key = randomKey();
        AtomicBoolean ran = new AtomicBoolean();
        SoftAssertions softly = new SoftAssertions();
        expectRejected(softly, "new LockService(null)", "lock", () -> new LockService(null));
        expectRejected(softly, "withLock(key, null)", "work", () -> {
            service.withLock(key, null);
            return null;
        });
        expectRejected(softly, "tryWithLock(key, null)", "work", () -> service.tryWithLock(key, null));
        expectRejected(softly, "callWithLock(key, null)", "work", () -> service.callWithLock(key, null));
        expectRejected(softly, "withLock(blank key)", "key", () -> {
            service.withLock(" ", lease -> ran.set(true));
            return null;
        });
        expectRejected(softly, "register(blank name)", "name", () -> manager.register(" ", service));
        expectRejected(softly, "register(null name)", "name", () -> manager.register(null, service));
        expectRejected(softly, "register(name, null)", "service", () -> manager.register("s", null));
        expectRejected(softly, "manager.withLock(blank name)", "name", () -> {
            manager.withLock("", key, lease -> ran.set(true));
            return null;
        });
        expectRejected(softly, "autoRenew(null lease)", "lease", () -> service.autoRenew((LockLease) null, Duration.ofSeconds(1)));
        softly.assertAll();
        assertThat(ran).as("the work ran").isFalse();

        LockLease lease = service.lock().acquire(key, expiring(Duration.ofSeconds(10)));
        SoftAssertions intervals = new SoftAssertions();
        expectRejected(intervals, "autoRenew(interval = ttl)", "interval", () -> service.autoRenew(lease, Duration.ofSeconds(10)));
        expectRejected(intervals, "autoRenew(interval > ttl)", "interval", () -> service.autoRenew(lease, Duration.ofSeconds(11)));
        expectRejected(intervals, "autoRenew(interval 0)", "interval", () -> service.autoRenew(lease, Duration.ZERO));
        expectRejected(intervals, "autoRenew(interval null)", "interval", () -> service.autoRenew(lease, null));
        intervals.assertAll();
        lease.release();
    }

    /**
     * Every call of a closed client throws {@link LockClosedException}, including key-based unlock and renew.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void useAfterCloseIsRejected() throws Exception {
        DistributedLock c = newClient();
        String key = randomKey();
        c.lock(key, longLived());
        c.close();
        SoftAssertions softly = new SoftAssertions();
        keyCalls(c).forEach((name, call) -> {
            if (!name.startsWith("currentLease")) {
                softly.assertThat(failureOf(call.apply(key))).as(name + " after close").isInstanceOf(LockClosedException.class);
            }
        });
        softly.assertAll();
    }
}
