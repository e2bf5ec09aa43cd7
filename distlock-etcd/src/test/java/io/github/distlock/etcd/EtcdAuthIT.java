package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.testkit.server.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** etcd with authentication on, and a user whose role may only touch the lock prefix. */
class EtcdAuthIT {

    private static final String PREFIX = "/distlock-auth/";
    private static final String PASSWORD = "s3cret-Pa55";
    private static EtcdServer server;

    @BeforeAll
    static void startServerWithAuth() {
        server = EtcdServer.start();
        server.etcdctl("user", "add", "root:root-pw");
        server.etcdctl("user", "grant-role", "root", "root");
        server.etcdctl("role", "add", "locker");
        server.etcdctl("role", "grant-permission", "locker", "--prefix=true", "readwrite", PREFIX);
        server.etcdctl("user", "add", "alice:" + PASSWORD);
        server.etcdctl("user", "grant-role", "alice", "locker");
        server.etcdctl("auth", "enable");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private String uri(String user, String password, String strategy, String prefix) {
        return "etcd://" + user + ":" + password + "@127.0.0.1:" + server.clientPort() + "?strategy=" + strategy
                + "&prefix=" + prefix;
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void userLimitedToThePrefixCanLockAndUnlock(EtcdLockStrategy strategy) throws Exception {
        String s = strategy.name().toLowerCase();
        try (DistributedLock a = DistributedLocks.open(uri("alice", PASSWORD, s, PREFIX));
                DistributedLock b = DistributedLocks.open(uri("alice", PASSWORD, s, PREFIX))) {
            LockLease lease = a.tryAcquire("rbac").orElseThrow();
            assertThat(b.tryAcquire("rbac")).isEmpty();
            assertThat(b.getLockInfo("rbac").held()).isTrue();
            lease.release();
            LockLease shared = b.tryAcquire("rbac", LockOptions.builder().lockType(LockType.SHARED).build()).orElseThrow();
            shared.release();
            LockLease own = a.tryAcquire("rbac", LockOptions.builder().autoRenew(false).build()).orElseThrow();
            own.renew();
            assertThat(own.release()).isTrue();
        }
        try (Client root = Client.builder().endpoints(server.endpoint())
                .user(ByteSequence.from("root", StandardCharsets.UTF_8))
                .password(ByteSequence.from("root-pw", StandardCharsets.UTF_8)).build()) {
            assertThat(root.getKVClient().get(ByteSequence.from(PREFIX, StandardCharsets.UTF_8),
                    io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs())
                    .as("keys left under the prefix").isEmpty();
        }
    }

    @Test
    void keysOutsideTheGrantedPrefixAreRefusedWithAClearMessage() {
        try (DistributedLock locks = DistributedLocks.open(uri("alice", PASSWORD, "txn", "/elsewhere/"))) {
            assertThatThrownBy(() -> locks.tryAcquire("x"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("permission denied")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void wrongPasswordFailsFastWithoutShowingIt() {
        String wrong = "not-the-Pa55word";
        try (DistributedLock locks = DistributedLocks.open(uri("alice", wrong, "mutex", PREFIX))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> locks.tryAcquire("x"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("authentication failed")
                    .hasMessageNotContaining(wrong)
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrong));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
        }
    }

    @Test
    void unknownUserFailsLikeAWrongPassword() {
        try (DistributedLock locks = DistributedLocks.open(uri("mallory", PASSWORD, "txn", PREFIX))) {
            assertThatThrownBy(() -> locks.tryAcquire("x"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessage("etcd: acquire failed: authentication failed, etcd rejected the user name or password"
                            + " (check the credentials of the etcd client) (key 'x')")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(PASSWORD));
        }
    }

    @Test
    void missingCredentialsSayThatAuthenticationIsRequired() {
        try (DistributedLock locks = DistributedLocks.open("etcd://127.0.0.1:" + server.clientPort() + "?prefix=" + PREFIX)) {
            assertThatThrownBy(() -> locks.getLockInfo("x"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessage("etcd: inspect failed: authentication required, etcd has authentication enabled and the"
                            + " client sent no user name (give user:password@ in the URI) (key 'x')");
        }
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
