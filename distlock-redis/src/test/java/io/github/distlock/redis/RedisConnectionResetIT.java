package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.net.FaultProxy;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release cut off by a connection reset, on a real redis-server behind a fault proxy: the
 * release is caught in flight (held by the proxy's black hole, then the connection is reset), so
 * it fails without having reached the server. The client sends it again once its connection is
 * back, so neither a holder's release nor a waiter's give-up leaves the lock to its TTL (60 s):
 * every wait that proves it is bounded well below that.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisConnectionResetIT {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final LockOptions NO_RENEWAL = LockOptions.builder().ttl(TTL).autoRenew(false).build();
    private static final LockOptions WAIT_PROMPTLY =
            LockOptions.builder().ttl(TTL).autoRenew(false).waitTimeout(PROMPTLY).build();

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    private static String key() {
        return "reset-" + UUID.randomUUID();
    }

    @Test
    void aHoldersReleaseCutOffByAResetIsSentAgainOnceTheConnectionIsBack() throws Exception {
        String key = key();
        try (FaultProxy proxy = FaultProxy.start(SERVER.get().host(), SERVER.get().port());
                DistributedLock viaProxy = DistributedLocks.open("redis://" + proxy.address());
                DistributedLock direct = DistributedLocks.open(SERVER.get().uri())) {
            LockLease lease = viaProxy.acquire(key, NO_RENEWAL);

            CompletableFuture<Boolean> release = cutOff(proxy, lease::releaseAsync);

            // The caller learns that the release failed (it cannot know whether it was applied) ...
            assertThat(release).failsWithin(PROMPTLY).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(LockBackendException.class);
            assertThat(SERVER.get().command("EXISTS", "lock:{" + key + "}")).isEqualTo("1");
            proxy.heal();
            // ... and the client sends it again: the lock is free long before its TTL runs out.
            LockLease next = direct.acquire(key, WAIT_PROMPTLY);
            assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
            next.release();
        }
    }

    @Test
    void aWaitersGiveUpCutOffByAResetIsSentAgainSoNoReleaseHandsTheLockToIt() throws Exception {
        String key = key();
        try (FaultProxy proxy = FaultProxy.start(SERVER.get().host(), SERVER.get().port());
                DistributedLock viaProxy = DistributedLocks.open("redis://" + proxy.address());
                DistributedLock direct = DistributedLocks.open(SERVER.get().uri())) {
            LockLease holder = direct.acquire(key, NO_RENEWAL);
            CompletableFuture<LockLease> waiting = viaProxy.acquireAsync(key, NO_RENEWAL);
            // The waiter's marker and place in line are on the server.
            await().atMost(PROMPTLY).until(() -> SERVER.get().command("ZCARD", "lock:{" + key + "}:w").equals("1"));

            cutOff(proxy, () -> {
                waiting.cancel(false);
                return waiting;
            });
            proxy.heal();
            // Without the give-up, this release would hand the lock to the waiter that left.
            holder.release();
            LockLease next = direct.acquire(key, WAIT_PROMPTLY);
            assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
            next.release();
            assertThat(SERVER.get().command("EXISTS", "lock:{" + key + "}:w")).isEqualTo("0");
        }
    }

    /**
     * Runs {@code call} while the proxy holds everything back, waits until its request has
     * reached the proxy, and resets the connections: the request fails in flight without having
     * reached the server. The black hole stays on (the client's reconnect waits in it) until the
     * caller heals it.
     */
    private static <T> T cutOff(FaultProxy proxy, java.util.function.Supplier<T> call) {
        proxy.blackHole();
        long before = proxy.bytesFromClients();
        T result = call.get();
        await().atMost(PROMPTLY).until(() -> proxy.bytesFromClients() > before);
        proxy.resetConnections();
        return result;
    }
}
