package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.github.distlock.DistributedLock;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Explicit-TTL locks reuse the lease of a released lock (refreshed alongside the lock's
 * transaction): the reused lease is reset to its full TTL, and a pooled lease that ended while
 * idle is replaced by a new grant, with the lock still getting its full TTL. Refreshes go over one
 * long-lived keep-alive stream, which is opened again after an etcd restart.
 */
class EtcdLeaseRefreshIT {

    private static final LockOptions EXPLICIT = LockOptions.builder().ttl(Duration.ofSeconds(60)).autoRenew(false).build();

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(EtcdServer::start);
    @RegisterExtension
    static final ClassResource<Client> RAW = ClassResource.of(() -> EtcdTestSupport.rawClient(SERVER.get().endpoint()));

    private DistributedLock locks;
    private String prefix;

    @AfterEach
    void close() throws Exception {
        if (locks != null) {
            locks.close();
        }
        if (prefix != null) {
            assertThat(EtcdTestSupport.keysUnder(RAW.get(), prefix)).as("keys left after the client closed").isEmpty();
        }
    }

    private void open(EtcdLockStrategy strategy) {
        prefix = EtcdTestSupport.uniquePrefix();
        locks = EtcdTestSupport.open(SERVER.get().endpoint(), strategy, prefix);
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void aReleasedLocksLeaseCarriesTheNextLockWithItsFullTtl(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease first = locks.tryAcquire("pool-a", EXPLICIT).orElseThrow();
        long firstLease = onlyKey().getLease();
        assertThat(first.release()).isTrue();

        LockLease second = locks.tryAcquire("pool-b", EXPLICIT).orElseThrow();
        assertThat(second.ttl()).isEqualTo(Duration.ofSeconds(60));
        KeyValue key = onlyKey();
        assertThat(key.getKey().toString(StandardCharsets.UTF_8)).contains("pool-b");
        assertThat(key.getLease()).as("the pooled lease is reused").isEqualTo(firstLease);
        assertThat(grantedTtl(firstLease)).isEqualTo(60);
        assertThat(second.release()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void aPooledLeaseThatEndedWhileIdleIsReplacedAndTheLockGetsItsFullTtl(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease first = locks.tryAcquire("gone-a", EXPLICIT).orElseThrow();
        long pooled = onlyKey().getLease();
        assertThat(first.release()).isTrue();
        // The idle lease ends on the server (as if it had expired) while the client still pools it.
        RAW.get().getLeaseClient().revoke(pooled).get(10, TimeUnit.SECONDS);

        LockLease second = locks.tryAcquire("gone-b", EXPLICIT).orElseThrow();
        assertThat(second.isHeld()).isTrue();
        assertThat(second.ttl()).isEqualTo(Duration.ofSeconds(60));
        KeyValue key = onlyKey();
        assertThat(key.getKey().toString(StandardCharsets.UTF_8)).contains("gone-b");
        assertThat(key.getLease()).as("a new lease replaces the ended one").isNotEqualTo(pooled).isNotZero();
        assertThat(grantedTtl(key.getLease())).isEqualTo(60);
        assertThat(locks.getLockInfo("gone-b").remainingTtl()).isGreaterThan(Duration.ofSeconds(30));
        assertThat(second.release()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void refreshesAreMessagesOnOneStreamNotAStreamEach(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        locks.tryAcquire("warm", EXPLICIT).orElseThrow().release();
        long streamsBefore = keepAliveStreamsStarted();
        for (int i = 0; i < 20; i++) {
            LockLease l = locks.tryAcquire("reuse-" + i, EXPLICIT).orElseThrow();
            l.renew();
            assertThat(l.ttl()).isEqualTo(Duration.ofSeconds(60));
            assertThat(l.release()).isTrue();
        }
        // 40 refreshes (20 reused leases, 20 renewals); at most one new stream (the first refresh).
        assertThat(keepAliveStreamsStarted() - streamsBefore).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void leaseRefreshesWorkAgainAfterAnEtcdRestart(EtcdLockStrategy strategy) throws Exception {
        open(strategy);
        LockLease held = locks.tryAcquire("restart-a", EXPLICIT).orElseThrow();
        held.renew();
        LockLease watched = locks.acquire("restart-w");
        locks.tryAcquire("restart-p", EXPLICIT).orElseThrow().release();

        SERVER.get().restart();
        // The client reconnects (a KV call answers) before the refresh stream is asked again.
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> locks.isLocked("restart-a"));

        held.renew();
        assertThat(held.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(held.isHeld()).isTrue();
        LockLease pooled = locks.tryAcquire("restart-b", EXPLICIT).orElseThrow();
        assertThat(pooled.ttl()).isEqualTo(Duration.ofSeconds(60));
        watched.renew();
        assertThat(watched.isHeld()).isTrue();
        assertThat(pooled.release()).isTrue();
        assertThat(watched.release()).isTrue();
        assertThat(held.release()).isTrue();
    }

    private KeyValue onlyKey() throws Exception {
        List<KeyValue> kvs = RAW.get().getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs();
        assertThat(kvs).hasSize(1);
        return kvs.get(0);
    }

    /** LeaseKeepAlive streams the server has seen opened, from its Prometheus metrics. */
    private static long keepAliveStreamsStarted() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(SERVER.get().endpoint() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("^grpc_server_started_total\\{[^}]*grpc_method=\"LeaseKeepAlive\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(r.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private static long grantedTtl(long leaseId) throws Exception {
        return RAW.get().getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getGrantedTTL();
    }
}
