package io.github.distlock.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.DeleteOption;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChangeSignals#onDelete} on a real etcd. From now (MUTEX): the watch starts at the
 * current revision, and a deletion made after the waiter's transaction but before the watch
 * existed still wakes the waiter (the creation check), while a key that is still there keeps it
 * waiting until the key goes. From the past (TXN): etcd replays the deletion. The speed this buys (no wait for etcd's 100 ms catch-up of watches that start in the
 * past) is measured by the benchmark's MUTEX hot-key row, not here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChangeSignalsIT {

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(EtcdServer::start);

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Client client;
    private KV kv;
    private ScheduledExecutorService scheduler;
    private ChangeSignals signals;
    private String dir;

    @BeforeEach
    void open() {
        client = Client.builder().endpoints(SERVER.get().endpoint()).build();
        kv = client.getKVClient();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        signals = new ChangeSignals(new EtcdOps(client, Duration.ofSeconds(5), null, false), scheduler, Runnable::run);
        dir = "/signals-" + UUID.randomUUID() + "/";
    }

    @AfterEach
    void close() {
        signals.closeAll();
        scheduler.shutdownNow();
        client.close();
    }

    @Test
    void aDeletionBeforeTheWatchExistedWakesTheWaiter() throws Exception {
        long seen = put("k");
        put("unrelated"); // the revision moves on, as on a busy key
        delete("k");

        CompletableFuture<Void> changed = signals.onDelete(key("k"), false, seen, true);

        await().atMost(WAIT).until(changed::isDone);
        assertThat(signals.confirmedWatches()).isZero();
    }

    @Test
    void aKeyStillThereKeepsTheWaiterWaitingUntilItIsDeleted() throws Exception {
        long seen = put("k");
        put("unrelated");

        CompletableFuture<Void> changed = signals.onDelete(key("k"), false, seen, true);

        await().atMost(WAIT).until(() -> signals.confirmedWatches() == 1);
        put("unrelated"); // a put is no reason to wake
        assertThat(changed).isNotDone();
        delete("k");
        await().atMost(WAIT).until(changed::isDone);
    }

    @Test
    void withNoWriteSinceTheTransactionTheWatchIsArmedAtOnce() throws Exception {
        long seen = put("k");

        CompletableFuture<Void> changed = signals.onDelete(key("k"), false, seen, true);

        await().atMost(WAIT).until(() -> signals.confirmedWatches() == 1);
        assertThat(changed).isNotDone();
        delete("k");
        await().atMost(WAIT).until(changed::isDone);
    }

    @Test
    void aPrefixWaiterWakesWhenItsLastKeyIsGoneNotForOneMissedEarlier() throws Exception {
        put("r/a");
        long seen = put("r/b");
        delete("r/a"); // before the watch: missed, but r/b still holds the waiter

        CompletableFuture<Void> changed = signals.onDelete(key("r/"), true, seen, true);

        await().atMost(WAIT).until(() -> signals.confirmedWatches() == 1);
        assertThat(changed).isNotDone();
        delete("r/b");
        await().atMost(WAIT).until(changed::isDone);
    }

    @Test
    void aPrefixEmptiedBeforeTheWatchExistedWakesTheWaiter() throws Exception {
        long seen = put("r/a");
        delete("r/a");

        CompletableFuture<Void> changed = signals.onDelete(key("r/"), true, seen, true);

        await().atMost(WAIT).until(changed::isDone);
        assertThat(signals.confirmedWatches()).isZero();
    }

    @Test
    void aWatchFromThePastDeliversADeletionBeforeItExisted() throws Exception {
        long seen = put("k");
        put("unrelated");
        delete("k");

        CompletableFuture<Void> changed = signals.onDelete(key("k"), false, seen, false);

        await().atMost(WAIT).until(changed::isDone);
    }

    private ByteSequence key(String name) {
        return ByteSequence.from(dir + name, StandardCharsets.UTF_8);
    }

    /** @return the revision of the put */
    private long put(String name) throws Exception {
        return kv.put(key(name), ByteSequence.from("v", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
                .getHeader().getRevision();
    }

    private void delete(String name) throws Exception {
        assertThat(kv.delete(key(name), DeleteOption.DEFAULT).get(10, TimeUnit.SECONDS).getDeleted()).isEqualTo(1);
    }
}
