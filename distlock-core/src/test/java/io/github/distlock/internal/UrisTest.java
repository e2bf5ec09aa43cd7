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
    void masksPasswordsWithUnencodedReservedCharactersWhole() {
        assertThat(Uris.redact("redis://u:p@ss@host:1")).isEqualTo("redis://u:***@host:1");
        assertThat(Uris.redact("redis://:pa/ss@host:1/0")).isEqualTo("redis://***@host:1/0");
        assertThat(Uris.redact("etcd://u:p?w#d@h:2379?prefix=/a/")).isEqualTo("etcd://***@h:2379?prefix=/a/");
        // An '@' in the query masks more than needed, never less.
        assertThat(Uris.redact("redis://h:1?prefix=team@app:")).isEqualTo("redis://***@app:");
        assertThat(Uris.redact("redis://h:1/0")).isEqualTo("redis://h:1/0");
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
