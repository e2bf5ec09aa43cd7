package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rows of the bad-input catalogue ({@code docs/bad-input.md}) whose behaviour does not depend on
 * the backend, on {@code mem:}. The rows every backend must pass are in the testkit's
 * conformance suite ({@code ArgumentValidationConformance} and others).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {

    private static final Duration OVER_A_YEAR = LockOptions.MAX_DURATION.plusSeconds(1);
    /** Overflowed a nanosecond count: acquiring with it hung before the limit existed. */
    private static final Duration THOUSAND_YEARS = Duration.ofDays(365L * 1000);

    private final String store = "mem:bad-input-" + System.nanoTime();
    private final DistributedLock locks = DistributedLocks.open(store);
    private final DistributedLock other = DistributedLocks.open(store);

    @AfterEach
    void close() {
        locks.close();
        other.close();
    }

    @Test
    void ttlLongerThanMaxDurationIsRejected() {
        assertRejected(() -> LockOptions.builder().ttl(OVER_A_YEAR), "ttl", "ttl must be at most PT8760H (365 days), but was PT8760H1S");
        assertRejected(() -> LockOptions.builder().ttl(THOUSAND_YEARS), "ttl", "PT8760000H");
        assertThat(LockOptions.builder().ttl(LockOptions.MAX_DURATION).build().ttl()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void renewWithATtlLongerThanMaxDurationIsRejectedAndTheLeaseKeepsItsTtl() throws Exception {
        LockLease lease = locks.acquire("renew-too-long", LockOptions.builder().ttl(Duration.ofMinutes(1)).build());
        assertRejected(() -> lease.renew(OVER_A_YEAR), "ttl", "at most PT8760H");
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(lease.release()).isTrue();
    }

    @Test
    void retryDelayLongerThanMaxDurationIsRejected() {
        assertRejected(() -> LockOptions.builder().retryDelay(THOUSAND_YEARS), "retryDelay",
                "retryDelay must be at most PT8760H (365 days), but was PT8760000H");
    }

    @Test
    void operationTimeoutLongerThanMaxDurationIsRejected() {
        assertRejected(() -> LockClientOptions.builder().operationTimeout(THOUSAND_YEARS), "operationTimeout",
                "operationTimeout must be at most PT8760H (365 days), but was PT8760000H");
    }

    @Test
    void waitTimeoutBeyondWhatNanosecondsCountWaitsLikeForever() throws Exception {
        LockLease holder = locks.acquire("wait-long");
        CompletableFuture<LockLease> thousandYears = other.acquireAsync("wait-long",
                LockOptions.builder().waitTimeout(THOUSAND_YEARS).build());
        CompletableFuture<LockLease> maxSeconds = other.acquireAsync("wait-long",
                LockOptions.builder().waitTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build());
        holder.release();
        LockLease first = CompletableFuture.anyOf(thousandYears, maxSeconds).thenApply(LockLease.class::cast)
                .get(10, TimeUnit.SECONDS);
        first.release();
        thousandYears.get(10, TimeUnit.SECONDS).release();
        maxSeconds.get(10, TimeUnit.SECONDS).release();
    }

    @Test
    void anAlreadyInterruptedThreadGetsAFreeLockAndKeepsItsInterruptFlag() throws Exception {
        Thread.currentThread().interrupt();
        LockLease lease;
        try {
            lease = locks.acquire("interrupted-free");
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.release()).isTrue();
    }

    @Test
    void anAlreadyInterruptedThreadWaitingForABusyLockGetsInterruptedExceptionAndLeavesNothing() throws Exception {
        LockLease holder = other.acquire("interrupted-busy");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> locks.acquire("interrupted-busy")).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        holder.release();
        assertThat(other.isLocked("interrupted-busy")).as("the interrupted waiter took nothing").isFalse();
    }

    @Test
    void aLeaseOfAClosedClientIsReleasedAndCannotBeRenewed() throws Exception {
        DistributedLock closing = DistributedLocks.open(store);
        LockLease lease = closing.acquire("closed-client");
        closing.close();
        assertThat(lease.isHeld()).isFalse();
        assertThat(other.isLocked("closed-client")).isFalse();
        assertThatThrownBy(() -> lease.renew(Duration.ofSeconds(5)))
                .isInstanceOf(LockNotHeldException.class)
                .hasMessage("cannot renew lock 'closed-client': this lease was already released");
        assertThat(lease.release()).isFalse();
    }

    @Test
    void listLocksRejectsALimitOutOfRangeAndANullPrefix() {
        assertRejected(() -> locks.listLocks("", 0), "limit", "limit must be between 1 and 100000, but was 0");
        assertRejected(() -> locks.listLocks("", 100_001), "limit", "but was 100001");
        assertRejected(() -> locks.listLocks(null, 10), "keyPrefix", "keyPrefix must not be null");
    }

    @Test
    void hostAndPortWithoutASchemeGetsAHint() {
        assertThatThrownBy(() -> DistributedLocks.open("localhost:6379"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageStartingWith("uri 'localhost:6379' has no scheme: it looks like host:port; write "
                        + "redis://localhost:6379 or etcd://localhost:6379 (available schemes: [");
    }

    @Test
    void passwordsWithUnencodedReservedCharactersAreMaskedWhole() {
        assertThatThrownBy(() -> DistributedLocks.open("zk://user:p@ss/w?rd#1@host:2181"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("'zk://***@host:2181'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ss/w").doesNotContain("rd#1"));
    }

    private static void assertRejected(ThrowingCall call, String parameter, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidLockArgumentException) e).parameter()).isEqualTo(parameter));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
