package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockOptionsTest {

    @Test
    void defaultsAreDocumentedValues() {
        LockOptions d = LockOptions.defaults();
        assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.autoRenew()).isTrue();
        assertThat(d.retryCount()).isZero();
        assertThat(d.retryDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.waitTimeout()).isEqualTo(LockOptions.WAIT_FOREVER);
        assertThat(d.lockType()).isEqualTo(LockType.EXCLUSIVE);
        assertThat(d.toString()).contains("waitTimeout=forever");
    }

    @Test
    void builderRoundTripsThroughToBuilder() {
        LockOptions o = LockOptions.builder().ttl(Duration.ofSeconds(3)).autoRenew(false).retryCount(4)
                .retryDelay(Duration.ofMillis(7)).waitTimeout(Duration.ofSeconds(2)).shared().build();
        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(o.lockType()).isEqualTo(LockType.SHARED);
        assertThat(o.toBuilder().waitForever().build().waitTimeout()).isEqualTo(LockOptions.WAIT_FOREVER);
    }

    @Test
    void badValuesNameTheParameterAndTheValue() {
        assertBad(() -> LockOptions.builder().ttl(Duration.ZERO), "ttl", "PT0S");
        assertBad(() -> LockOptions.builder().ttl(Duration.ofSeconds(-1)), "ttl", "PT-1S");
        assertBad(() -> LockOptions.builder().ttl(null), "ttl", "null");
        assertBad(() -> LockOptions.builder().retryCount(-1), "retryCount", "-1");
        assertBad(() -> LockOptions.builder().retryCount(LockOptions.MAX_RETRY_COUNT + 1), "retryCount", "1000001");
        assertBad(() -> LockOptions.builder().retryDelay(Duration.ofMillis(-5)), "retryDelay", "PT-0.005S");
        assertBad(() -> LockOptions.builder().waitTimeout(Duration.ofMillis(-1)), "waitTimeout", "PT-0.001S");
        assertBad(() -> LockOptions.builder().lockType(null), "lockType", "null");
    }

    @Test
    void clientOptionsValidateToo() {
        assertBad(() -> LockClientOptions.builder().operationTimeout(Duration.ZERO), "operationTimeout", "PT0S");
        assertBad(() -> LockClientOptions.builder().clockDriftFactor(0.7), "clockDriftFactor", "0.7");
        assertBad(() -> LockClientOptions.builder().clockDriftFactor(Double.NaN), "clockDriftFactor", "NaN");
        assertBad(() -> LockClientOptions.builder().defaultLockOptions(null), "defaultLockOptions", "null");
        assertThat(LockClientOptions.defaults().operationTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    private static void assertBad(Runnable call, String parameter, String value) {
        assertThatThrownBy(call::run)
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining(parameter)
                .hasMessageContaining(value)
                .satisfies(e -> assertThat(((InvalidLockArgumentException) e).parameter()).isEqualTo(parameter));
    }
}
