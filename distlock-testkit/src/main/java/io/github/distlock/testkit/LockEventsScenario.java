package io.github.distlock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.AcquireOutcome;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquiredEvent;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockEvent;
import io.github.distlock.LockEventListener;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostEvent;
import io.github.distlock.LockOptions;
import io.github.distlock.LockReleasedEvent;
import io.github.distlock.LockRenewedEvent;
import io.github.distlock.LockWaitEndedEvent;
import io.github.distlock.LockWaitStartedEvent;
import io.github.distlock.LostReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The lock events of a client of a real store, checked the same way on every backend: a wait
 * that ends with the release of another client, watchdog renewals, and the loss of a lock that
 * the store dropped. The backend's test supplies the clients and the way to make the store drop
 * locks.
 *
 * <pre>{@code
 * LockEventsScenario scenario = new LockEventsScenario("redis");
 * DistributedLock observed = scenario.observe(options -> open(options));   // registers the recorder
 * scenario.waitIsReportedUntilAnotherClientReleases(observed, other);
 * scenario.renewalsAndLossAreReported(observed, Duration.ofSeconds(3), () -> flushStore(), Set.of(NOT_OWNER));
 * }</pre>
 */
public final class LockEventsScenario {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final String backend;
    private final List<LockEvent> events = new CopyOnWriteArrayList<>();

    /**
     * Creates the scenario.
     *
     * @param backend the name the clients report as {@link DistributedLock#backendName()}
     */
    public LockEventsScenario(String backend) {
        this.backend = backend;
    }

    /** @return the listener that records this scenario's events */
    public LockEventListener recorder() {
        return events::add;
    }

    /**
     * Opens the observed client with the recorder (and any listeners already in {@code base}).
     *
     * @param base the client options to add the recorder to
     * @param open opens a client with the given options
     * @return the observed client; the caller closes it
     */
    public DistributedLock observe(LockClientOptions base, Function<LockClientOptions, DistributedLock> open) {
        return open.apply(base.toBuilder().eventListener(recorder()).build());
    }

    /** @return the events recorded so far, in order */
    public List<LockEvent> events() {
        return List.copyOf(events);
    }

    private List<String> kinds(String key) {
        return events.stream().filter(e -> e.key().equals(key)).map(e -> e.getClass().getSimpleName()).toList();
    }

    /**
     * {@code other} holds a key, {@code observed} waits for it; after {@code other} releases it,
     * {@code observed} has reported wait started, wait ended (acquired) and acquired (waited), in
     * that order; its release is reported once.
     *
     * @param observed the client with the recorder
     * @param other another client of the same store
     * @throws Exception if the scenario fails
     */
    public void waitIsReportedUntilAnotherClientReleases(DistributedLock observed, DistributedLock other)
            throws Exception {
        String key = "events/" + UUID.randomUUID();
        LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(30)).build();
        LockLease held = other.acquire(key, options);
        CompletableFuture<LockLease> waiter = observed.acquireAsync(key, options);
        await().atMost(DEADLINE).until(() -> kinds(key).contains("LockWaitStartedEvent"));
        held.release();
        LockLease lease = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(kinds(key)).containsExactly("LockWaitStartedEvent", "LockWaitEndedEvent", "LockAcquiredEvent");
        LockWaitStartedEvent started = only(LockWaitStartedEvent.class, key);
        assertThat(started.backend()).isEqualTo(backend);
        assertThat(only(LockWaitEndedEvent.class, key).outcome()).isEqualTo(AcquireOutcome.ACQUIRED);
        LockAcquiredEvent acquired = only(LockAcquiredEvent.class, key);
        assertThat(acquired.waited()).isTrue();
        assertThat(acquired.fencingToken()).isEqualTo(lease.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(acquired.backend()).isEqualTo(backend);
        assertThat(lease.release()).isTrue();
        assertThat(kinds(key)).last().isEqualTo("LockReleasedEvent");
        assertThat(only(LockReleasedEvent.class, key).fencingToken()).isEqualTo(lease.fencingToken());
    }

    /**
     * {@code observed} holds an auto-renewed lock with {@code ttl}: the watchdog's renewals are
     * reported; then {@code dropLocks} makes the store forget it, and the loss is reported once,
     * with one of {@code reasons}, and nothing after it.
     *
     * @param observed the client with the recorder
     * @param ttl a TTL short enough for renewals to come within the test's deadline
     * @param dropLocks makes the store drop every lock (deletes keys, revokes leases)
     * @param reasons the loss reasons this backend may report
     * @throws Exception if the scenario fails
     */
    public void renewalsAndLossAreReported(DistributedLock observed, Duration ttl, Runnable dropLocks,
            Set<LostReason> reasons) throws Exception {
        String key = "events/" + UUID.randomUUID();
        LockLease lease = observed.acquire(key, LockOptions.builder().ttl(ttl).build());
        await().atMost(DEADLINE).until(() -> kinds(key).contains("LockRenewedEvent"));
        assertThat(only(LockRenewedEvent.class, key, true).fencingToken()).isEqualTo(lease.fencingToken());
        dropLocks.run();
        lease.lost().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        List<String> kinds = kinds(key);
        assertThat(kinds.get(0)).isEqualTo("LockAcquiredEvent");
        assertThat(kinds.subList(1, kinds.size() - 1)).isSubsetOf("LockRenewedEvent", "LockRenewalFailedEvent");
        assertThat(kinds).last().isEqualTo("LockLostEvent");
        LockLostEvent lost = only(LockLostEvent.class, key);
        assertThat(lost.reason()).isIn(reasons);
        assertThat(lost.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(lease.release()).isFalse();
        assertThat(kinds(key)).as("nothing is reported after the loss").hasSize(kinds.size());
    }

    private <T extends LockEvent> T only(Class<T> kind, String key) {
        return only(kind, key, false);
    }

    private <T extends LockEvent> T only(Class<T> kind, String key, boolean firstOfMany) {
        List<T> found = events.stream().filter(e -> e.key().equals(key)).filter(kind::isInstance).map(kind::cast)
                .toList();
        if (firstOfMany) {
            assertThat(found).as("%s events for %s", kind.getSimpleName(), key).isNotEmpty();
        } else {
            assertThat(found).as("%s events for %s in %s", kind.getSimpleName(), key, kinds(key)).hasSize(1);
        }
        return found.get(0);
    }
}
