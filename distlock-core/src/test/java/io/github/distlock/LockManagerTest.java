package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockManagerTest {

    @Test
    void namesAreListedInRegistrationOrder() {
        try (LockManager manager = new LockManager()) {
            for (String name : new String[] {"zeta", "alpha", "mid", "beta", "omega", "a1", "b2", "c3"}) {
                manager.register(name, new LockService(DistributedLocks.open("mem:manager-test")));
            }
            assertThat(manager.names()).containsExactly("zeta", "alpha", "mid", "beta", "omega", "a1", "b2", "c3");
            manager.unregister("mid").close();
            assertThat(manager.names()).containsExactly("zeta", "alpha", "beta", "omega", "a1", "b2", "c3");
        }
    }
}
