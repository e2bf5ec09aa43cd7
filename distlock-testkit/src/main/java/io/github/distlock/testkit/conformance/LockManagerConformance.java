package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import io.github.distlock.LockManager;
import io.github.distlock.LockService;
import io.github.distlock.LockServiceNotFoundException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link LockManager}: named services, used by name, closed together.
 */
public abstract class LockManagerConformance extends ConformanceGroup {

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected LockManagerConformance(ConformanceContext context) {
        super(context);
    }

    /**
     * Every operation works by service name.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void servicesAreUsedByName() throws Exception {
        LockManager manager = context().newManager();
        manager.register("primary", new LockService(fixture().newClient()));
        DistributedLock other = newClient();
        String key = randomKey();
        assertThat(manager.names()).containsExactly("primary");

        AtomicReference<Boolean> heldInside = new AtomicReference<>();
        manager.withLock("primary", key, lease -> {
            heldInside.set(other.isLocked(key) && manager.isLocked("primary", key));
            LockInfo info = manager.getLockInfo("primary", key);
            assertThat(info.fencingToken()).isEqualTo(lease.fencingToken());
            manager.renew("primary", key, Duration.ofSeconds(60));
        });
        assertThat(heldInside.get()).isTrue();
        assertThat(manager.isLocked("primary", key)).isFalse();

        assertThat(manager.callWithLock("primary", key, LockLease::fencingToken)).isPositive();
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(manager.tryWithLock("primary", key, lease -> ran.set(true))).isTrue();
        assertThat(ran).isTrue();

        LockLease holder = other.acquire(key, longLived());
        assertThat(manager.tryWithLock("primary", key, lease -> ran.set(false))).isFalse();
        assertThat(ran).isTrue();
        assertThat(manager.getLockInfo("primary", key).fencingToken()).isEqualTo(holder.fencingToken());
    }

    /** An unknown service name gets {@link LockServiceNotFoundException} naming it, from every operation. */
    @Test
    protected void unknownNamesAreReported() {
        LockManager manager = context().newManager();
        manager.register("known", context().newService());
        String key = randomKey();
        ThrowingCallable[] calls = {
            () -> manager.withLock("missing", key, lease -> { }),
            () -> manager.tryWithLock("missing", key, lease -> { }),
            () -> manager.callWithLock("missing", key, lease -> 1),
            () -> manager.isLocked("missing", key),
            () -> manager.getLockInfo("missing", key),
            () -> manager.renew("missing", key, LONG_TTL),
            () -> manager.service("missing"),
            () -> manager.unregister("missing"),
        };
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(LockServiceNotFoundException.class)
                    .hasMessageContaining("missing").hasMessageContaining("known");
        }
    }

    /** Registering a second service under a taken name is rejected; the first stays registered. */
    @Test
    protected void duplicateRegistrationIsRejected() {
        LockManager manager = context().newManager();
        LockService first = context().newService();
        LockService second = context().newService();
        manager.register("s", first);
        assertThatThrownBy(() -> manager.register("s", second))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("name"))
                .hasMessageContaining("'s'");
        assertThat(manager.service("s")).isSameAs(first);
    }

    /**
     * {@code close()} closes every service (releasing their locks), is idempotent, and the manager refuses use after it.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void closeClosesEveryServiceAndIsIdempotent() throws Exception {
        LockManager manager = context().newManager();
        LockService s1 = new LockService(fixture().newClient());
        LockService s2 = new LockService(fixture().newClient());
        manager.register("one", s1).register("two", s2);
        DistributedLock other = newClient();
        String k1 = randomKey();
        String k2 = randomKey();
        s1.lock().acquire(k1, longLived());
        s2.lock().acquire(k2, longLived());
        manager.close();
        manager.close();
        assertThat(other.isLocked(k1)).isFalse();
        assertThat(other.isLocked(k2)).isFalse();
        assertThatThrownBy(() -> s1.isLocked(k1)).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> s2.lock().tryAcquire(k2)).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> manager.isLocked("one", k1)).isInstanceOf(LockClosedException.class);
        assertThatThrownBy(() -> manager.register("three", context().newService())).isInstanceOf(LockClosedException.class);
    }

    /**
     * Two services on one store exclude each other.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void servicesOnOneStoreExcludeEachOther() throws Exception {
        LockManager manager = context().newManager();
        manager.register("a", new LockService(fixture().newClient()));
        manager.register("b", new LockService(fixture().newClient()));
        String key = randomKey();
        AtomicReference<Boolean> otherRan = new AtomicReference<>();
        manager.withLock("a", key, lease -> otherRan.set(manager.tryWithLock("b", key, l -> { })));
        assertThat(otherRan.get()).as("service b ran while service a held the key").isFalse();
        assertThat(manager.tryWithLock("b", key, l -> { })).isTrue();
    }

    /**
     * {@code unregister} hands the service back without closing it.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void unregisterReturnsTheServiceOpen() throws Exception {
        LockManager manager = context().newManager();
        LockService service = context().newService();
        manager.register("s", service);
        assertThat(manager.unregister("s")).isSameAs(service);
        manager.close();
        String key = randomKey();
        assertThat(service.tryWithLock(key, lease -> { })).isTrue();
    }
}
