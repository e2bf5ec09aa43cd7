package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DistributedLocksTest {

    @Test
    void memSchemeIsFoundThroughServiceLoader() {
        assertThat(DistributedLocks.availableSchemes()).contains("mem");
        try (DistributedLock locks = DistributedLocks.open("mem:locks-test")) {
            assertThat(locks.backendName()).isEqualTo("mem");
        }
    }

    @Test
    void unknownSchemeNamesTheSchemeTheAvailableOnesAndMasksThePassword() {
        assertThatThrownBy(() -> DistributedLocks.open("zookeeper://user:hunter2@host:2181"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("'zookeeper'")
                .hasMessageContaining("mem")
                .hasMessageContaining("user:***@host")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void missingSchemeAndBlankUriAreRejected() {
        assertThatThrownBy(() -> DistributedLocks.open("localhost:6379x"))
                .isInstanceOf(LockConfigurationException.class);
        assertThatThrownBy(() -> DistributedLocks.open("no scheme"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> DistributedLocks.open(" "))
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining("uri");
        assertThatThrownBy(() -> DistributedLocks.open(null))
                .isInstanceOf(InvalidLockArgumentException.class)
                .hasMessageContaining("uri");
    }

    @Test
    void badMemStoreNameIsAConfigurationError() {
        assertThatThrownBy(() -> DistributedLocks.open("mem:a/b"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("a/b");
    }
}
