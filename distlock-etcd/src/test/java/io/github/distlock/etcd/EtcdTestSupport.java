package io.github.distlock.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Helpers shared by the etcd ITs. */
final class EtcdTestSupport {

    private EtcdTestSupport() {
    }

    /** A fresh key prefix, so tests sharing one server never see each other's keys. */
    static String uniquePrefix() {
        return "/distlock-test/" + UUID.randomUUID() + "/";
    }

    static DistributedLock open(String endpoints, EtcdLockStrategy strategy, String prefix) {
        return open(endpoints, strategy, prefix, LockClientOptions.defaults());
    }

    static DistributedLock open(String endpoints, EtcdLockStrategy strategy, String prefix, LockClientOptions options) {
        return DistributedLocks.create(backend(endpoints, strategy, prefix, options), options);
    }

    static EtcdLockBackend backend(String endpoints, EtcdLockStrategy strategy, String prefix, LockClientOptions options) {
        return EtcdLockBackend.builder()
                .endpoints(endpoints.split(","))
                .strategy(strategy)
                .keyPrefix(prefix)
                .operationTimeout(options.operationTimeout())
                .build();
    }

    /** Waits until {@code backend} has armed {@code count} change notifications (waiters queued). */
    static void awaitArmed(EtcdLockBackend backend, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.armedNotifications() >= count);
    }

    static Client rawClient(String endpoints) {
        return Client.builder().endpoints(endpoints.split(",")).build();
    }

    /** Every key (as text) under {@code prefix}, read directly from etcd. */
    static List<String> keysUnder(Client raw, String prefix) throws Exception {
        ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        return raw.getKVClient().get(p, GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs()
                .stream().map(KeyValue::getKey).map(k -> k.toString(StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
