package io.github.distlock.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.LockConfigurationException;
import org.junit.jupiter.api.Test;

/** distlock.prefix becomes the URI's prefix option. */
class BackendUrisTest {

    @Test
    void thePrefixIsAddedAsAnEncodedOptionBeforeAnyFragment() {
        assertThat(BackendUris.of(" redis://h:6379 ", null)).isEqualTo("redis://h:6379");
        assertThat(BackendUris.of("redis://h:6379", "app:lock:")).isEqualTo("redis://h:6379?prefix=app%3Alock%3A");
        assertThat(BackendUris.of("redis://h?timeout=2s", "a b")).isEqualTo("redis://h?timeout=2s&prefix=a%20b");
        assertThat(BackendUris.of("redis-sentinel://h:26379#mymaster", "p:"))
                .isEqualTo("redis-sentinel://h:26379?prefix=p%3A#mymaster");
        assertThat(BackendUris.of("etcd://h:2379?strategy=mutex", "/app/"))
                .isEqualTo("etcd://h:2379?strategy=mutex&prefix=%2Fapp%2F");
    }

    @Test
    void conflictsAndMissingValuesAreExplained() {
        assertThatThrownBy(() -> BackendUris.of(null, null)).isInstanceOf(LockConfigurationException.class)
                .hasMessageContaining("distlock.uri is not set");
        assertThatThrownBy(() -> BackendUris.of("redis://u:secret@h?prefix=x", "y"))
                .hasMessageContaining("set the prefix in one place").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> BackendUris.of("redis://h", "")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> BackendUris.of("mem:", "p")).hasMessageContaining("not supported by the mem: backend");
    }
}
