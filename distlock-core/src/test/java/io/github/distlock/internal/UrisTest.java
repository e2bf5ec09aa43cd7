package io.github.distlock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrisTest {

    @Test
    void masksPasswordsInUserInfoAndQuery() {
        assertThat(Uris.redact("redis://user:pw@host:6379/0")).isEqualTo("redis://user:***@host:6379/0");
        assertThat(Uris.redact("redis://pw@host")).isEqualTo("redis://***@host");
        assertThat(Uris.redact("redis://:pw@host")).isEqualTo("redis://:***@host");
        assertThat(Uris.redact("etcd://h:2379?user=a&password=pw&x=1")).isEqualTo("etcd://h:2379?user=a&password=***&x=1");
        assertThat(Uris.redact("mem:")).isEqualTo("mem:");
        assertThat(Uris.redact(null)).isNull();
    }

    @Test
    void schemeIsLowerCasedAndValidated() {
        assertThat(Uris.scheme("REDIS://h")).isEqualTo("redis");
        assertThat(Uris.scheme("mem:")).isEqualTo("mem");
        assertThat(Uris.scheme("redis-sentinel://h")).isEqualTo("redis-sentinel");
        assertThat(Uris.scheme(":x")).isEmpty();
        assertThat(Uris.scheme("no scheme")).isEmpty();
    }
}
