package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.secrets.SecretLeakCheck;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No password, owner token or client key material in anything distlock, jetcd, gRPC and Netty
 * log at DEBUG, nor in messages, stack traces and {@code toString()}s, against etcd with TLS
 * client certificates and password authentication, wrong credentials included. Both strategies:
 * MUTEX keys and shared TXN keys carry the owner token in their name.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EtcdSecretLeakIT {

    private static final String ROOT_PASSWORD = "root-Leak-Secret-0";
    private static final String PASSWORD = "leak-Check-Secret-7";
    private static final String WRONG_PASSWORD = "wrong-Leak-Secret-8";
    private static TlsEtcd etcd;

    @BeforeAll
    static void start() throws Exception {
        etcd = TlsEtcd.start();
        etcd.addUser("app", PASSWORD, "/app/");
        etcd.enableAuth(ROOT_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static String uri(String password, EtcdLockStrategy strategy) {
        return "etcds://app:" + password + "@127.0.0.1:" + etcd.clientPort() + "?cacert=" + etcd.file("ca.pem")
                + "&cert=" + etcd.file("client.pem") + "&key=" + etcd.file("client-key.pem") + "&prefix=/app/"
                + "&strategy=" + strategy.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @EnumSource(EtcdLockStrategy.class)
    void nothingSecretIsLoggedOrShownWithTlsClientCertificatesAndAPassword(EtcdLockStrategy strategy) throws Exception {
        String output = SecretLeakCheck.against(uri(PASSWORD, strategy))
                .wrongCredentials(uri(WRONG_PASSWORD, strategy))
                .secret(PASSWORD)
                .secret(WRONG_PASSWORD)
                .privateKey(etcd.file("client-key.pem"))
                .privateKey(etcd.file("ca-key.pem"))
                .lossTtl(Duration.ofSeconds(1))
                // gRPC's Netty transport hex-dumps every HTTP/2 frame at DEBUG on this logger: the
                // Authenticate request (user and password) and KV values (owner tokens). Not ours
                // to change (grpc/grpc-java#9680); docs/security.md tells users to keep it at INFO.
                .loggerLevel("io.grpc.netty.NettyClientHandler", "info")
                .run();
        // Netty logs through SLF4J at DEBUG, gRPC through java.util.logging at FINE.
        assertThat(output).contains(" DEBUG io.netty.handler.ssl.").contains(" io.grpc.").contains("FINE: ")
                .contains("wrong credentials failed: etcd: inspect failed: authentication failed");
    }
}
