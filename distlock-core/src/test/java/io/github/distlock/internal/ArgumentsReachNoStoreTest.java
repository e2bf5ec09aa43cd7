package io.github.distlock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockClosedException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Rejected input and use after close send nothing to the store. */
class ArgumentsReachNoStoreTest {

    @Test
    void invalidArgumentsAreRejectedWithoutAStoreCall() throws Exception {
        RemoteLikeBackend backend = new RemoteLikeBackend(new InMemoryLockBackend(new InMemoryLockStore(Clock.systemUTC())),
                Duration.ZERO);
        try (DistributedLock c = DistributedLocks.create(backend)) {
            LockOptions tooShort = LockOptions.builder().ttl(Duration.ofNanos(999_999)).autoRenew(false).build();
            LockLease lease = c.acquire("held", LockOptions.defaults());
            int before = backend.calls.get();
            List<ThrowingCallable> calls = List.of(
                    () -> c.tryAcquire(null, LockOptions.defaults()),
                    () -> c.acquire("", LockOptions.defaults()),
                    () -> c.acquireAsync("x".repeat(DistributedLock.MAX_KEY_LENGTH + 1), LockOptions.defaults()),
                    () -> c.tryAcquireAsync("a\nb", LockOptions.defaults()),
                    () -> c.tryLock("k", null),
                    () -> c.lock("k", tooShort),
                    () -> c.tryAcquire("k", tooShort),
                    () -> c.getLockInfo(" "),
                    () -> c.isLocked(null),
                    () -> lease.renew(Duration.ZERO),
                    () -> lease.renew(Duration.ofNanos(1)),
                    () -> lease.renewAsync(null));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(InvalidLockArgumentException.class);
            }
            assertThat(backend.calls.get()).as("store calls made by rejected input").isEqualTo(before);
            lease.release();
        }
    }

    @Test
    void useAfterCloseMakesNoStoreCall() throws Exception {
        RemoteLikeBackend backend = new RemoteLikeBackend(new InMemoryLockBackend(new InMemoryLockStore(Clock.systemUTC())),
                Duration.ZERO);
        DistributedLock c = DistributedLocks.create(backend);
        c.close();
        int before = backend.calls.get();
        List<ThrowingCallable> calls = List.of(
                () -> c.tryAcquire("k"),
                () -> c.acquire("k"),
                () -> c.acquireAsync("k", LockOptions.defaults()),
                () -> c.tryLock("k"),
                () -> c.lock("k"),
                () -> c.unlock("k"),
                () -> c.renew("k", Duration.ofSeconds(1)),
                () -> c.isLocked("k"),
                () -> c.getLockInfoAsync("k"));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(LockClosedException.class);
        }
        assertThat(backend.calls.get()).isEqualTo(before);
    }
}
