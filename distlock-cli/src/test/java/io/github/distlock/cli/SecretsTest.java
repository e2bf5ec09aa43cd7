package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksUserInfoPasswordsAndSecretParametersAnywhereInAText() {
        assertThat(Secrets.mask("could not connect to redis://user:pw1@host:6379/0 (refused)"))
                .isEqualTo("could not connect to redis://user:***@host:6379/0 (refused)");
        assertThat(Secrets.mask("uri 'rediss://pw2@h' and etcd://a:b@h1:2379,h2:2379"))
                .isEqualTo("uri 'rediss://***@h' and etcd://a:***@h1:2379,h2:2379");
        assertThat(Secrets.mask("etcd://h:2379?user=x&password=pw3&z=1")).isEqualTo("etcd://h:2379?user=x&password=***&z=1");
        assertThat(Secrets.mask("no uri here")).isEqualTo("no uri here");
        assertThat(Secrets.mask(null)).isNull();
    }

    @Test
    void masksRememberedSecretsVerbatimAndPercentEncoded() {
        Secrets.remember("p@ss w0rd!");
        assertThat(Secrets.mask("AUTH failed for p@ss w0rd! or p%40ss+w0rd%21")).isEqualTo("AUTH failed for *** or ***");
        Secrets.remember("ab"); // too short to mask everywhere
        assertThat(Secrets.mask("about")).isEqualTo("about");
    }

    @Test
    void addsAPasswordOnlyWhereTheUriHasNone() {
        assertThat(Secrets.withPassword("redis://127.0.0.1:6379", "s3:c/r@t"))
                .isEqualTo("redis://:s3%3Ac%2Fr%40t@127.0.0.1:6379");
        assertThat(Secrets.withPassword("redis://:given@h", "other")).isEqualTo("redis://:given@h");
        assertThat(Secrets.withPassword("redis://given@h", "other")).isEqualTo("redis://given@h");
        assertThat(Secrets.withPassword("redis://user:@h", "pw")).isEqualTo("redis://user:pw@h");
        assertThat(Secrets.withPassword("etcd://root@h:2379", "pw")).isEqualTo("etcd://root:pw@h:2379");
        assertThat(Secrets.withPassword("redis-sentinel://h1:26379,h2:26379#m", "a b"))
                .isEqualTo("redis-sentinel://:a%20b@h1:26379,h2:26379#m");
        assertThat(Secrets.withPassword("mem:", "pw")).isEqualTo("mem:");
        assertThat(Secrets.withPassword("redis://h", null)).isEqualTo("redis://h");
        assertThat(Secrets.withPassword("redis://h", "")).isEqualTo("redis://h");
    }

    @Test
    void findsThePasswordInAUri() {
        assertThat(Secrets.passwordIn("redis://:p%40w@h")).isEqualTo("p@w");
        assertThat(Secrets.passwordIn("redis://lone@h")).isEqualTo("lone");
        assertThat(Secrets.passwordIn("etcd://user@h")).isNull();
        assertThat(Secrets.passwordIn("etcd://user:pw@h")).isEqualTo("pw");
        assertThat(Secrets.passwordIn("redis://h:1")).isNull();
        assertThat(Secrets.passwordIn("mem:")).isNull();
    }

    @Test
    void removesCredentialsForTheCommandsEnvironment() {
        assertThat(Secrets.withoutCredentials("redis://user:pw@h:6379/2")).isEqualTo("redis://h:6379/2");
        assertThat(Secrets.withoutCredentials("redis://pw@h")).isEqualTo("redis://h");
        assertThat(Secrets.withoutCredentials("etcd://h:2379?password=x&strategy=txn")).isEqualTo("etcd://h:2379?strategy=txn");
        assertThat(Secrets.withoutCredentials("etcd://h:2379?strategy=txn&token=x")).isEqualTo("etcd://h:2379?strategy=txn");
        assertThat(Secrets.withoutCredentials("etcd://h:2379?password=x")).isEqualTo("etcd://h:2379");
        assertThat(Secrets.withoutCredentials("mem:")).isEqualTo("mem:");
    }

    @Test
    void redactsForPrinting() {
        assertThat(Secrets.redact("redis://u:pw@h:1")).isEqualTo("redis://u:***@h:1");
        assertThat(Secrets.redact("mem:")).isEqualTo("mem:");
    }
}
