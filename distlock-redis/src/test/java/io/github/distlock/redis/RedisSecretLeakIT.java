package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.secrets.SecretLeakCheck;
import io.github.distlock.testkit.server.RedisServer;
import io.github.distlock.testkit.server.TestCertificates;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No password or owner token in anything distlock and Lettuce log at DEBUG, nor in messages,
 * stack traces and {@code toString()}s, over TLS with an ACL user, wrong credentials included.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisSecretLeakIT {

    private static final String PASSWORD = "leak-Check-Secret-5";
    private static final String WRONG_PASSWORD = "wrong-Leak-Secret-6";

    @TempDir
    Path certDir;

    @Test
    void nothingSecretIsLoggedOrShownOverTlsWithAnAclUser() throws Exception {
        TestCertificates certs = TestCertificates.generate(certDir);
        try (RedisServer server = RedisServer.builder().tls(certs, false)
                .aclUser("app", PASSWORD, RedisLockBackend.aclRules("app:").toArray(String[]::new)).start()) {
            String hostPort = server.host() + ":" + server.port();
            String output = SecretLeakCheck.against("rediss://app:" + PASSWORD + "@" + hostPort + "?prefix=app:")
                    .wrongCredentials("rediss://app:" + WRONG_PASSWORD + "@" + hostPort + "?prefix=app:")
                    .secret(PASSWORD)
                    .secret(WRONG_PASSWORD)
                    .lossTtl(java.time.Duration.ofMillis(200))
                    .jvmArg("-Djavax.net.ssl.trustStore=" + certs.trustStore())
                    .jvmArg("-Djavax.net.ssl.trustStorePassword=" + certs.trustStorePassword())
                    .jvmArg("-Djavax.net.ssl.trustStoreType=" + certs.storeType())
                    .run();
            assertThat(output).contains(" DEBUG io.lettuce.core.")
                    .contains("wrong credentials failed: redis: authentication to rediss://app:***@" + hostPort);
        }
    }
}
