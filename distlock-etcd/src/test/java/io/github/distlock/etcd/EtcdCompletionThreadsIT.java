package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which thread completes the acquire and release answers: a blocking caller without listeners
 * is answered straight from jetcd's threads (no hand-off to a callback thread, the hot path),
 * while listeners, async callers and stages chained on {@link LockLease#lost()} never run on
 * jetcd's Vert.x event loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdCompletionThreadsIT {

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void blockingCallsWithoutListenersAreAnsweredWithoutAHandOff(EtcdLockStrategy strategy) throws Exception {
        LockClientOptions options = LockClientOptions.defaults();
        EtcdLockBackend backend = EtcdTestSupport.backend(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix(), options);
        try (DistributedLock locks = DistributedLocks.create(backend, options)) {
            for (int i = 0; i < 20; i++) {
                LockLease lease = locks.acquire("k" + i);
                assertThat(lease.release()).isTrue();
            }
            LockLease held = locks.tryAcquire("busy").orElseThrow();
            assertThat(backend.lockPathHandOffs()).isZero();

            // A busy answer is handed off (the core then arms or cancels watches, which must not
            // wait on jetcd's event loop); no count is asserted for it.
            assertThat(locks.tryAcquire("busy")).isEmpty();
            assertThat(held.release()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void listenersAsyncCallersAndLossStagesNeverRunOnAJetcdEventLoop(EtcdLockStrategy strategy) throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        LockClientOptions options = LockClientOptions.builder()
                .eventListener(e -> threads.add(Thread.currentThread().getName()))
                .build();
        EtcdLockBackend backend = EtcdTestSupport.backend(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix(), options);
        try (DistributedLock locks = DistributedLocks.create(backend, options)) {
            LockLease a = locks.acquire("a");
            assertThat(a.release()).isTrue();
            LockLease b = locks.acquireAsync("b", locks.defaultOptions())
                    .thenApply(l -> {
                        threads.add(Thread.currentThread().getName());
                        return l;
                    }).get(10, TimeUnit.SECONDS);
            assertThat(b.releaseAsync().thenApply(r -> {
                threads.add(Thread.currentThread().getName());
                return r;
            }).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(backend.lockPathHandOffs()).as("answers handed off").isPositive();
        }
        assertThat(threads).isNotEmpty().noneMatch(name -> name.startsWith("vert.x-eventloop"));

        // Without listeners, a stage chained on lost() still keeps a blocking release off the event loop.
        LockClientOptions quiet = LockClientOptions.defaults();
        EtcdLockBackend other = EtcdTestSupport.backend(SERVER.get().endpoint(), strategy, EtcdTestSupport.uniquePrefix(), quiet);
        try (DistributedLock locks = DistributedLocks.create(other, quiet)) {
            LockLease c = locks.acquire("c");
            c.lost().thenRun(() -> threads.add(Thread.currentThread().getName()));
            long before = other.lockPathHandOffs();
            assertThat(c.release()).isTrue();
            assertThat(other.lockPathHandOffs()).isEqualTo(before + 1);
        }
    }
}
