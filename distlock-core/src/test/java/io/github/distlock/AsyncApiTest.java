package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every async call returns before the store has answered: none of them waits for the store on
 * the calling thread.
 */
@Timeout(30)
class AsyncApiTest {

    private final SteerableBackend backend = new SteerableBackend(new InMemoryLockBackend(
            new InMemoryLockStore(Clock.systemUTC())));
    private final DistributedLock client = DistributedLocks.create(backend);
    private final String key = "async-" + UUID.randomUUID();

    @AfterEach
    void close() {
        backend.answer();
        client.close();
    }

    @Test
    void asyncCallsReturnBeforeTheStoreAnswers() throws Exception {
        LockLease renewed = client.acquireAsync(key + "/renewed").get(10, TimeUnit.SECONDS);
        LockLease released = client.acquireAsync(key + "/released").get(10, TimeUnit.SECONDS);

        backend.holdAnswers();
        CompletableFuture<LockLease> acquire = client.acquireAsync(key);
        CompletableFuture<Optional<LockLease>> tryAcquire = client.tryAcquireAsync(key + "/try");
        CompletableFuture<Void> renew = renewed.renewAsync(Duration.ofSeconds(20));
        CompletableFuture<Boolean> release = released.releaseAsync();
        CompletableFuture<LockInfo> info = client.getLockInfoAsync(key + "/renewed");
        CompletableFuture<List<LockInfo>> list = client.listLocksAsync(key, 10);
        assertThat(List.of(acquire, tryAcquire, renew, release, info, list)).noneMatch(CompletableFuture::isDone);

        backend.answer();
        LockLease lease = acquire.get(10, TimeUnit.SECONDS);
        assertThat(tryAcquire.get(10, TimeUnit.SECONDS)).isPresent();
        renew.get(10, TimeUnit.SECONDS);
        assertThat(renewed.ttl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(release.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(info.get(10, TimeUnit.SECONDS).held()).isTrue();
        assertThat(list.get(10, TimeUnit.SECONDS)).extracting(LockInfo::key).contains(key + "/renewed")
                .isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(lease.releaseAsync().get(10, TimeUnit.SECONDS)).isTrue();
    }
}
