package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.DistributedLocks;
import io.github.distlock.LockConfigurationException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Malformed Redis URIs (rows of {@code docs/bad-input.md}): each fails at {@code open} with a
 * {@link LockConfigurationException} that says what is wrong, before any connection is made, and
 * never shows the password.
 */
class RedisUriTest {

    private static final String SECRET = "uri-Secret-7";

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String uri) {
        return assertThatThrownBy(() -> DistributedLocks.open(uri).close())
                .isInstanceOf(LockConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void portThatIsNotANumber() {
        assertRejected("redis://:" + SECRET + "@127.0.0.1:notaport").hasMessage("invalid Redis uri "
                + "'redis://:***@127.0.0.1:notaport': expected [[user]:password@]host[:port][/database]");
    }

    @Test
    void portOutOfRange() {
        assertRejected("redis://127.0.0.1:70000").hasMessage("invalid Redis uri 'redis://127.0.0.1:70000': expected "
                + "[[user]:password@]host[:port][/database]");
    }

    @Test
    void noHost() {
        assertRejected("redis://").hasMessageContaining("expected [[user]:password@]host[:port][/database]");
    }

    @Test
    void databaseThatIsNotANumber() {
        assertRejected("redis://127.0.0.1:6379/abc").hasMessageContaining("expected [[user]:password@]host[:port][/database]");
    }

    @Test
    void unknownOptionSuchAsAMisspelledTimeout() {
        assertRejected("redis://:" + SECRET + "@127.0.0.1:6379?timout=5s").hasMessage("invalid Redis uri "
                + "'redis://:***@127.0.0.1:6379?timout=5s': unknown option 'timout'; known options: prefix, timeout,"
                + " database (or db), sentinelMasterId, clientName, libraryName, libraryVersion, verifyPeer");
    }

    @Test
    void timeoutThatLettuceWouldIgnore() {
        assertRejected("redis://127.0.0.1:6379?timeout=5sec").hasMessage("invalid Redis uri "
                + "'redis://127.0.0.1:6379?timeout=5sec': option timeout must be a positive number with an optional"
                + " unit ns, us, ms, s, m, h or d (such as 500ms or 5s), but was '5sec'");
        assertRejected("redis://127.0.0.1:6379?timeout=0s").hasMessageContaining("but was '0s'");
        assertRejected("redis://127.0.0.1:6379?timeout=").hasMessageContaining("option timeout needs a value");
    }

    @Test
    void prefixWithABrace() {
        assertRejected("redis://127.0.0.1:6379?prefix=a%7Bb").hasMessage("invalid Redis uri "
                + "'redis://127.0.0.1:6379?prefix=a%7Bb': option prefix: keyPrefix must be non-blank and contain no"
                + " '{' or '}', but was 'a{b'");
    }

    @Test
    void sentinelWithoutMasterName() {
        assertRejected("redis-sentinel://:" + SECRET + "@127.0.0.1:26379").hasMessage("invalid Redis uri "
                + "'redis-sentinel://:***@127.0.0.1:26379': URI must contain the sentinelMasterId");
    }

    @Test
    void clusterWithoutNodes() {
        assertRejected("redis-cluster://").hasMessage("invalid Redis uri 'redis-cluster://': no cluster nodes given");
    }

    @Test
    void passwordWithAnUnencodedAt() {
        assertRejected("redis://:p@" + SECRET + "@127.0.0.1:6379").hasMessage("invalid Redis uri "
                + "'redis://:***@127.0.0.1:6379': more than one '@': percent-encode an '@' in the user name or password"
                + " as %40");
    }

    @Test
    void passwordWithAnUnencodedSlashIsMaskedWhole() {
        assertRejected("redis://:pa/" + SECRET + "@127.0.0.1:6379").hasMessage("invalid Redis uri "
                + "'redis://***@127.0.0.1:6379': expected [[user]:password@]host[:port][/database]");
    }
}
