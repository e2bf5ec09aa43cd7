package io.github.distlock.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.LockType;
import org.junit.jupiter.api.Test;

class LockClaimTest {

    @Test
    void toStringNeverShowsTheOwnerToken() {
        String token = "0123456789abcdef0123456789abcdef";
        LockClaim claim = new LockClaim("orders/42", LockType.SHARED, token);
        assertThat(claim.toString()).isEqualTo("LockClaim{key='orders/42', type=SHARED, ownerToken=***}");
        assertThat(new RenewRequest(claim, java.time.Duration.ofSeconds(3)).toString()).doesNotContain(token);
        assertThat(new AcquireRequest(claim, java.time.Duration.ofSeconds(3), true, false).toString()).doesNotContain(token);
    }
}
