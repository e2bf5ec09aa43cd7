package io.github.distlock.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.LettuceVersion;
import io.netty.util.Version;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/** This module's ITs run on what Spring Boot 4.0's dependency management picks, not on distlock's own pins. */
class Boot4ClasspathTest {

    @Test
    void theClasspathIsABoot4Applications() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
        assertThat(LettuceVersion.getVersion()).startsWith("6.8.2");
        assertThat(Version.identify().get("netty-common").artifactVersion()).startsWith("4.2.");
        assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("6.");
    }
}
