package io.github.distlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.mem.InMemoryLockBackend;
import io.github.distlock.mem.InMemoryLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The events a client reports to its {@link LockEventListener}s, on the in-memory backend. */
@Timeout(30)
class LockEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final LockOptions LONG = LockOptions.builder().ttl(Duration.ofSeconds(30)).build();

    private final InMemoryLockStore store = new InMemoryLockStore(Clock.systemUTC());
    private final List<DistributedLock> clients = new ArrayList<>();
    private final List<LockEvent> events = new CopyOnWriteArrayList<>();
    private final String key = "events-" + UUID.randomUUID();

    private DistributedLock observed(io.github.distlock.spi.LockBackend backend) {
        return track(DistributedLocks.create(backend, LockClientOptions.builder().eventListener(events::add).build()));
    }

    private DistributedLock observed() {
        return observed(new InMemoryLockBackend(store));
    }

    private DistributedLock unobserved() {
        return track(DistributedLocks.create(new InMemoryLockBackend(store)));
    }

    private DistributedLock track(DistributedLock client) {
        clients.add(client);
        return client;
    }

    @AfterEach
    void close() {
        clients.forEach(DistributedLock::close);
    }

    private List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    private <T extends LockEvent> T only(Class<T> kind) {
        List<T> found = events.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as("events of kind %s in %s", kind.getSimpleName(), kinds()).hasSize(1);
        return found.get(0);
    }

    @Test
    void acquireAndReleaseReportTheGrantAndItsEnd() throws Exception {
        DistributedLock client = observed();
        LockLease lease = client.acquire(key, LONG);
        LockAcquiredEvent acquired = only(LockAcquiredEvent.class);
        assertThat(acquired.key()).isEqualTo(key);
        assertThat(acquired.lockType()).isEqualTo(LockType.EXCLUSIVE);
        assertThat(acquired.backend()).isEqualTo("mem");
        assertThat(acquired.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(acquired.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(acquired.waited()).isFalse();
        assertThat(acquired.acquireDuration()).isPositive();
        assertThat(acquired.timestamp()).isNotNull();
        lease.release();
        assertThat(kinds()).containsExactly("LockAcquiredEvent", "LockReleasedEvent");
        LockReleasedEvent released = only(LockReleasedEvent.class);
        assertThat(released.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(released.heldDuration()).isPositive();
        lease.release();
        assertThat(events).as("a second release reports nothing").hasSize(2);
    }

    @Test
    void aWaitReportsItsStartAndEndBeforeTheGrant() throws Exception {
        LockLease holder = unobserved().acquire(key, LONG);
        CompletableFuture<LockLease> waiter = observed().acquireAsync(key, LONG);
        await().atMost(DEADLINE).until(() -> kinds().contains("LockWaitStartedEvent"));
        assertThat(only(LockWaitStartedEvent.class).waitTimeout()).isEqualTo(LockOptions.WAIT_FOREVER);
        holder.release();
        LockLease lease = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(kinds()).containsExactly("LockWaitStartedEvent", "LockWaitEndedEvent", "LockAcquiredEvent");
        assertThat(only(LockWaitEndedEvent.class).outcome()).isEqualTo(AcquireOutcome.ACQUIRED);
        assertThat(only(LockWaitEndedEvent.class).waitDuration()).isPositive();
        assertThat(only(LockAcquiredEvent.class).waited()).isTrue();
        lease.release();
    }

    @Test
    void aBusyTryLockReportsNotAcquiredAndRetriesReportAWait() throws Exception {
        unobserved().acquire(key, LONG);
        DistributedLock client = observed();
        assertThat(client.tryAcquire(key, LONG)).isEmpty();
        assertThat(kinds()).containsExactly("LockNotAcquiredEvent");
        LockNotAcquiredEvent busy = only(LockNotAcquiredEvent.class);
        assertThat(busy.outcome()).isEqualTo(AcquireOutcome.BUSY);
        assertThat(busy.cause()).isNull();

        events.clear();
        LockOptions retrying = LONG.toBuilder().retryCount(2).retryDelay(Duration.ofMillis(10)).build();
        assertThat(client.tryLock(key, retrying)).isFalse();
        assertThat(kinds()).containsExactly("LockWaitStartedEvent", "LockWaitEndedEvent", "LockNotAcquiredEvent");
        assertThat(only(LockWaitStartedEvent.class).waitTimeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(only(LockWaitEndedEvent.class).outcome()).isEqualTo(AcquireOutcome.BUSY);
    }

    @Test
    void aTimedOutWaitReportsTimedOut() throws Exception {
        unobserved().acquire(key, LONG);
        DistributedLock client = observed();
        assertThatThrownBy(() -> client.acquire(key, LONG.toBuilder().waitTimeout(Duration.ofMillis(50)).build()))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(kinds()).containsExactly("LockWaitStartedEvent", "LockWaitEndedEvent", "LockNotAcquiredEvent");
        assertThat(only(LockWaitEndedEvent.class).outcome()).isEqualTo(AcquireOutcome.TIMED_OUT);
        assertThat(only(LockNotAcquiredEvent.class).outcome()).isEqualTo(AcquireOutcome.TIMED_OUT);

        events.clear();
        assertThatThrownBy(() -> client.acquire(key, LONG.toBuilder().waitTimeout(Duration.ZERO).build()))
                .isInstanceOf(LockAcquisitionTimeoutException.class);
        assertThat(kinds()).as("a zero wait timeout does not wait").containsExactly("LockNotAcquiredEvent");
    }

    @Test
    void aCancelledWaitReportsCancelled() throws Exception {
        unobserved().acquire(key, LONG);
        CompletableFuture<LockLease> waiter = observed().acquireAsync(key, LONG);
        await().atMost(DEADLINE).until(() -> kinds().contains("LockWaitStartedEvent"));
        waiter.cancel(false);
        await().atMost(DEADLINE).until(() -> kinds().contains("LockNotAcquiredEvent"));
        assertThat(kinds()).containsExactly("LockWaitStartedEvent", "LockWaitEndedEvent", "LockNotAcquiredEvent");
        assertThat(only(LockNotAcquiredEvent.class).outcome()).isEqualTo(AcquireOutcome.CANCELLED);
    }

    @Test
    void aFailingStoreReportsFailedAcquiresAndFailedRenewalsUntilTheLockIsLost() throws Exception {
        SteerableBackend backend = new SteerableBackend(new InMemoryLockBackend(store));
        DistributedLock client = observed(backend);
        backend.failAcquire = true;
        assertThatThrownBy(() -> client.acquire(key, LONG)).isInstanceOf(LockBackendException.class);
        LockNotAcquiredEvent failed = only(LockNotAcquiredEvent.class);
        assertThat(failed.outcome()).isEqualTo(AcquireOutcome.FAILED);
        assertThat(failed.cause()).isInstanceOf(LockBackendException.class);

        events.clear();
        backend.failAcquire = false;
        LockLease lease = client.acquire(key, LockOptions.builder().ttl(Duration.ofMillis(600)).build());
        backend.failRenew = true;
        assertThatThrownBy(() -> lease.renew()).isInstanceOf(LockBackendException.class);
        await().atMost(DEADLINE).until(() -> kinds().contains("LockLostEvent"));
        List<String> kinds = kinds();
        assertThat(kinds.get(0)).isEqualTo("LockAcquiredEvent");
        assertThat(kinds.subList(1, kinds.size() - 1)).isNotEmpty().containsOnly("LockRenewalFailedEvent");
        assertThat(kinds.get(kinds.size() - 1)).isEqualTo("LockLostEvent");
        LockLostEvent lost = only(LockLostEvent.class);
        assertThat(lost.reason()).isEqualTo(LostReason.RENEWAL_FAILED);
        assertThat(lost.cause()).isInstanceOf(LockBackendException.class);
        assertThat(lost.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(lease.release()).isFalse();
        assertThat(kinds()).as("no release after the loss").last().isEqualTo("LockLostEvent");
    }

    @Test
    void renewalsByTheWatchdogAndByHandAreReported() throws Exception {
        DistributedLock client = observed();
        LockLease lease = client.acquire(key, LockOptions.builder().ttl(Duration.ofMillis(300)).build());
        await().atMost(DEADLINE).until(() -> events.stream().filter(LockRenewedEvent.class::isInstance).count() >= 2);
        lease.renew(Duration.ofSeconds(30));
        await().atMost(DEADLINE).until(() -> events.stream()
                .anyMatch(e -> e instanceof LockRenewedEvent r && r.ttl().equals(Duration.ofSeconds(30))));
        lease.release();
        assertThat(kinds()).first().isEqualTo("LockAcquiredEvent");
        assertThat(kinds()).last().isEqualTo("LockReleasedEvent");
        assertThat(kinds()).containsOnly("LockAcquiredEvent", "LockRenewedEvent", "LockReleasedEvent");
    }

    @Test
    void anExpiredLeaseIsReportedLostOnce() throws Exception {
        DistributedLock client = observed();
        LockLease lease = client.acquire(key, LockOptions.builder().ttl(Duration.ofMillis(100)).autoRenew(false).build());
        lease.lost().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(lease.release()).isFalse();
        assertThat(kinds()).containsExactly("LockAcquiredEvent", "LockLostEvent");
        assertThat(only(LockLostEvent.class).reason()).isEqualTo(LostReason.EXPIRED);
    }

    @Test
    void reentryOfAThreadBoundHoldReportsNothing() throws Exception {
        DistributedLock client = observed();
        client.lock(key, LONG);
        client.lock(key, LONG);
        client.asLock(key).lock();
        client.asLock(key).unlock();
        client.unlock(key);
        assertThat(kinds()).containsExactly("LockAcquiredEvent");
        client.unlock(key);
        assertThat(kinds()).containsExactly("LockAcquiredEvent", "LockReleasedEvent");
    }

    @Test
    void listenersAreCalledInOrderAndOneThatThrowsBreaksNothing() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicInteger thrown = new AtomicInteger();
        LockClientOptions options = LockClientOptions.builder()
                .eventListener(e -> calls.add("first"))
                .eventListener(e -> {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                })
                .eventListener(e -> calls.add("third"))
                .build();
        DistributedLock client = track(DistributedLocks.create(new InMemoryLockBackend(store), options));
        for (int i = 0; i < 3; i++) {
            client.acquire(key, LONG).release();
        }
        assertThat(thrown).hasValue(6);
        assertThat(calls).hasSize(12).containsSequence("first", "third", "first", "third");
        assertThat(client.getLockInfo(key).held()).isFalse();
    }

    @Test
    void heldLeasesListsHandlesAndThreadBoundHolds() throws Exception {
        DistributedLock client = unobserved();
        assertThat(client.heldLeases()).isEmpty();
        LockLease b = client.acquire(key + "/b", LONG);
        LockLease a = client.acquire(key + "/a", LONG);
        client.lock(key + "/c", LONG);
        assertThat(client.heldLeases()).extracting(LockLease::key).containsExactly(key + "/a", key + "/b", key + "/c");
        assertThat(client.heldLeases().get(0)).isSameAs(a);
        b.release();
        client.unlock(key + "/c");
        assertThat(client.heldLeases()).containsExactly(a);
        assertThatThrownBy(() -> client.heldLeases().add(a)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void optionsKeepListenersInOrderAndRejectNull() {
        LockEventListener one = e -> { };
        LockEventListener two = e -> { };
        LockClientOptions options = LockClientOptions.builder().eventListener(one).eventListener(two).build();
        assertThat(options.eventListeners()).containsExactly(one, two);
        assertThat(options.toBuilder().build().eventListeners()).containsExactly(one, two);
        assertThat(LockClientOptions.defaults().eventListeners()).isEmpty();
        assertThatThrownBy(() -> LockClientOptions.builder().eventListener(null))
                .isInstanceOfSatisfying(InvalidLockArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("eventListener"));
    }
}
