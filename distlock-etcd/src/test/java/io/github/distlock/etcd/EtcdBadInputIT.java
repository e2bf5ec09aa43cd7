package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockBackendException;
import io.github.distlock.LockClientOptions;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows of {@code docs/bad-input.md} about reaching etcd: an unreachable or unresolvable host and a
 * TLS client for a plain port. {@code open} does not connect (jetcd connects lazily); the first
 * call fails with a {@link LockBackendException} within the operation timeout. TLS servers and
 * authentication: {@link EtcdTlsIT}, {@link EtcdAuthIT}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EtcdBadInputIT {

    private static final LockClientOptions FAST = LockClientOptions.builder().operationTimeout(Duration.ofSeconds(2)).build();
    @RegisterExtension
    static final ClassResource<EtcdServer> PLAIN = ClassResource.of(EtcdServer::start);

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void nothingListensOnThePort() throws Exception {
        try (DistributedLock locks = DistributedLocks.open("etcd://127.0.0.1:" + closedPort(), FAST)) {
            // Which comes first depends on gRPC's reconnect timing: the refused connection or the deadline.
            assertThatThrownBy(() -> locks.tryAcquire("k"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageMatching("etcd: acquire (did not complete within PT2S \\(etcd unreachable, paused or"
                            + " without a leader\\)|failed: etcd is unavailable: UNAVAILABLE: io exception: Connection"
                            + " refused.*) \\(key 'k'\\)");
        }
    }

    @Test
    void hostNameThatDoesNotResolve() {
        try (DistributedLock locks = DistributedLocks.open("etcd://no-such-host.invalid:2379", FAST)) {
            assertThatThrownBy(() -> locks.getLockInfo("k"))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageStartingWith("etcd: inspect ")
                    .hasMessageEndingWith("(key 'k')");
        }
    }

    @Test
    void tlsUriForAPlainPort() {
        try (DistributedLock locks = DistributedLocks.open("etcds://127.0.0.1:" + PLAIN.get().clientPort(), FAST)) {
            // gRPC reports the failed handshake in one of two ways, by timing
            assertThatThrownBy(() -> locks.getLockInfo("k"))
                    .isInstanceOf(LockBackendException.class)
                    .satisfiesAnyOf(
                            e -> assertThat(e).hasMessage("etcd: inspect failed: etcd is unavailable: UNAVAILABLE: Connection closed"
                                    + " while performing TLS negotiation (is this port serving TLS?) (key 'k')"),
                            e -> assertThat(e).hasMessage("etcd: inspect failed: etcd is unavailable: UNAVAILABLE: io exception:"
                                    + " Connection reset (the server reset the connection: check that etcd:// or etcds:// matches"
                                    + " what the port serves) (key 'k')"));
        }
    }
}
