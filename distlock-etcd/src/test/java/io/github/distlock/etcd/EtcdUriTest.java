package io.github.distlock.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockConfigurationException;
import io.github.distlock.etcd.internal.EtcdUri;
import io.github.distlock.etcd.internal.KeyLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** URI parsing, key escaping and builder validation; no server needed. */
class EtcdUriTest {

    @Test
    void parsesHostsCredentialsAndOptions() {
        EtcdUri u = EtcdUri.parse("etcd://bob:p%40ss@h1:2379,h2,[::1]:2380/?strategy=MUTEX&prefix=%2Fapp%2Flocks%2F&namespace=ns");
        assertThat(u.endpoints()).containsExactly("http://h1:2379", "http://h2:2379", "http://[::1]:2380");
        assertThat(u.user()).isEqualTo("bob");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(u.strategy()).isEqualTo(EtcdLockStrategy.MUTEX);
        assertThat(u.prefix()).isEqualTo("/app/locks/");
        assertThat(u.namespace()).isEqualTo("ns");
        assertThat(u.tls()).isFalse();
        assertThat(u.toString()).doesNotContain("p@ss");
    }

    @Test
    void defaults() {
        EtcdUri u = EtcdUri.parse("etcds://localhost");
        assertThat(u.endpoints()).containsExactly("https://localhost:2379");
        assertThat(u.tls()).isTrue();
        assertThat(u.strategy()).isEqualTo(EtcdLockStrategy.TXN);
        assertThat(u.prefix()).isEqualTo("/distlock/");
        assertThat(u.user()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "etcd://",
        "etcd://h:0",
        "etcd://h:99999",
        "etcd://h:abc",
        "etcd://h1,,h2",
        "etcd://h/some/path",
        "etcd:h:2379",
        "etcd://h?strategy=fifo",
        "etcd://h?stratgy=mutex",
        "etcd://h?prefix",
        "etcd://h?cacert=/tmp/ca.pem",
        "etcds://h?cacert=/does/not/exist.pem",
        "etcds://h?cert=/etc/hostname",
        "etcd://bob@h",
        "etcd://:pw@h",
    })
    void rejectsMalformedUris(String uri) {
        assertThatThrownBy(() -> EtcdUri.parse(uri)).isInstanceOf(LockConfigurationException.class);
    }

    @Test
    void messagesNeverShowThePassword() {
        assertThatThrownBy(() -> EtcdUri.parse("etcd://bob:hunter2@h:70000"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("bob:***@")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> EtcdUri.parse("etcd://bob:hunter2@h?bogus=1"))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DistributedLocks.open("etcd://bob:hunter2@h?strategy=nope"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("strategy")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void passwordWithUnencodedReservedCharactersIsReadWholeAndNeverShown() {
        EtcdUri u = EtcdUri.parse("etcd://bob:p@ss/w0rd@h:2379");
        assertThat(u.password()).isEqualTo("p@ss/w0rd");
        assertThat(u.endpoints()).containsExactly("http://h:2379");
        assertThatThrownBy(() -> EtcdUri.parse("etcd://bob:p@ss/w0rd@h:notaport"))
                .isInstanceOf(LockConfigurationException.class)
                .hasMessage("etcd uri has an invalid port 'notaport' for host 'h:notaport' (expected 1-65535) in"
                        + " 'etcd://***@h:notaport'");
    }

    @Test
    void providerIsFoundByScheme() {
        assertThat(DistributedLocks.availableSchemes()).contains("etcd", "etcds");
    }

    @Test
    void keysAreEscapedSoNoLockIsAPrefixOfAnother() {
        assertThat(KeyLayout.escape("orders/42")).isEqualTo("orders%2F42");
        assertThat(KeyLayout.escape("100%/x")).isEqualTo("100%25%2Fx");
        assertThat(KeyLayout.escape("a/q/w/b")).doesNotContain("/");
        for (String k : List.of("orders/42", "100%/x", "%2F", "%252F/%", "plain", "a//b%")) {
            assertThat(KeyLayout.unescape(KeyLayout.escape(k))).isEqualTo(k);
        }
    }

    @Test
    void builderNeedsExactlyOneConnectionSource() {
        assertThatThrownBy(() -> EtcdLockBackend.builder().build())
                .isInstanceOf(LockConfigurationException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> EtcdLockBackend.builder().endpoints("http://h:1")
                .clientBuilder(io.etcd.jetcd.Client.builder().endpoints("http://h:1")).build())
                .isInstanceOf(LockConfigurationException.class);
        assertThatThrownBy(() -> EtcdLockBackend.builder().endpoints())
                .isInstanceOf(InvalidLockArgumentException.class).hasMessageContaining("endpoints");
        assertThatThrownBy(() -> EtcdLockBackend.builder().operationTimeout(java.time.Duration.ZERO))
                .isInstanceOf(InvalidLockArgumentException.class).hasMessageContaining("operationTimeout");
        assertThatThrownBy(() -> EtcdLockBackend.builder().keyPrefix("a\u0000b"))
                .isInstanceOf(InvalidLockArgumentException.class).hasMessageContaining("keyPrefix");
    }

    @Test
    void limitsAreWholeSecondsFromOneSecond() {
        assertThat(EtcdLockBackend.LIMITS.ttlGranularity()).hasSeconds(1);
        assertThat(EtcdLockBackend.LIMITS.minimumTtl()).hasSeconds(1);
        assertThat(List.of(EtcdLockStrategy.values())).containsExactly(EtcdLockStrategy.TXN, EtcdLockStrategy.MUTEX);
    }
}
