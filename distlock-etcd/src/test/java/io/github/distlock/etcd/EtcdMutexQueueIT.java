package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostException;
import io.github.distlock.LockOptions;
import io.github.distlock.LostReason;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MUTEX strategy's queue: FIFO, clean-up of waiter keys, and waiters whose lease died. */
class EtcdMutexQueueIT {

    private static final LockOptions WAIT = LockOptions.builder().waitTimeout(Duration.ofSeconds(20)).build();

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(
            () -> EtcdServer.builder().electionTimeout(Duration.ofMillis(500)).start());
    @RegisterExtension
    static final ClassResource<Client> RAW = ClassResource.of(() -> EtcdTestSupport.rawClient(SERVER.get().endpoint()));

    private final List<DistributedLock> clients = new ArrayList<>();

    private String prefix;

    @BeforeEach
    void prefix() {
        prefix = EtcdTestSupport.uniquePrefix();
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.forEach(DistributedLock::close);
        assertThat(EtcdTestSupport.keysUnder(RAW.get(), prefix)).as("keys left after every client closed").isEmpty();
    }

    private DistributedLock client() {
        DistributedLock c = EtcdTestSupport.open(SERVER.get().endpoint(), EtcdLockStrategy.MUTEX, prefix);
        clients.add(c);
        return c;
    }

    private List<String> keys() throws Exception {
        return EtcdTestSupport.keysUnder(RAW.get(), prefix);
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        DistributedLock holder = client();
        LockLease first = holder.acquire("fifo");
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "w" + i;
            DistributedLock c = client();
            int expectedKeys = i + 2;
            done.add(c.acquireAsync("fifo", WAIT).thenAccept(lease -> {
                order.add(name);
                lease.release();
            }));
            // Let this waiter take its place in the queue before the next one arrives.
            await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == expectedKeys);
        }
        first.release();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(order).containsExactly("w0", "w1", "w2", "w3");
    }

    @Test
    void failedTryLockLeavesNoQueueEntry() throws Exception {
        DistributedLock a = client();
        DistributedLock b = client();
        LockLease held = a.acquire("k");
        assertThat(b.tryAcquire("k")).isEmpty();
        assertThat(keys()).as("right after tryAcquire returned").hasSize(1);
        held.release();
        assertThat(b.tryAcquire("k")).isPresent();
    }

    @Test
    void timeoutDeletesTheWaiterKey() throws Exception {
        DistributedLock a = client();
        DistributedLock b = client();
        LockLease held = a.acquire("k");
        assertThatThrownBy(() -> b.acquire("k", LockOptions.builder().waitTimeout(Duration.ofMillis(500)).build()))
                .isInstanceOf(io.github.distlock.LockAcquisitionTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> keys().size() == 1);
        held.release();
        // Nobody is queued in front of a newcomer.
        assertThat(a.tryAcquire("k")).isPresent();
    }

    @Test
    void interruptDeletesTheWaiterKey() throws Exception {
        DistributedLock a = client();
        DistributedLock b = client();
        LockLease held = a.acquire("k");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                b.acquire("k", WAIT);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 2);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> keys().size() == 1);
        held.release();
        assertThat(a.tryAcquire("k")).isPresent();
    }

    @Test
    void queuedWaiterWhoseLeaseEndedIsNotToldItHoldsTheLock() throws Exception {
        DistributedLock a = client();
        DistributedLock b = client();
        DistributedLock c = client();
        LockLease held = a.acquire("k");
        CompletableFuture<LockLease> waiter = b.acquireAsync("k", WAIT);
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 2);
        long waiterLease = leaseOfNewestKey();
        // The waiter's lease dies while it is queued (as when it expires during a partition).
        RAW.get().getLeaseClient().revoke(waiterLease).get(10, TimeUnit.SECONDS);
        held.release();

        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LockLostException.class)
                .satisfies(e -> assertThat(((LockLostException) e).loss().reason()).isEqualTo(LostReason.SESSION_ENDED));
        LockLease other = c.tryAcquire("k").orElseThrow();
        assertThat(other.fencingToken()).isGreaterThan(held.fencingToken());
        other.release();
        // The client recovers: a new session serves the next lock.
        b.acquire("k", WAIT).release();
    }

    @Test
    void explicitTtlWaiterKeepsItsPlaceLongerThanItsTtl() throws Exception {
        DistributedLock a = client();
        DistributedLock b = client();
        LockLease held = a.acquire("k");
        LockOptions explicit = LockOptions.builder().ttl(Duration.ofSeconds(1)).autoRenew(false)
                .waitTimeout(Duration.ofSeconds(20)).build();
        CompletableFuture<LockLease> waiter = b.acquireAsync("k", explicit);
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 2);
        // Three times the waiter's TTL: its lease must be kept alive while it is queued.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> keys().size() == 2);
        held.release();
        LockLease granted = waiter.get(10, TimeUnit.SECONDS);
        assertThat(granted.ttl()).isEqualTo(Duration.ofSeconds(1));
        // Once granted, an explicit TTL is not renewed: the lock expires by itself.
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().isEmpty());
        assertThat(granted.isHeld()).isFalse();
    }

    private long leaseOfNewestKey() throws Exception {
        ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        List<KeyValue> kvs = RAW.get().getKVClient().get(p, GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.DESCEND).build())
                .get(10, TimeUnit.SECONDS).getKvs();
        return kvs.get(0).getLease();
    }
}
