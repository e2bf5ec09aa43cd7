package io.github.distlock.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK with virtual threads (21 or newer) for tests that need one while the build runs
 * on JDK 17: {@code DISTLOCK_JAVA21_HOME} if set, else the running JDK if it is new enough,
 * else the newest JDK 21+ under {@code /usr/lib/jvm}.
 */
final class Jdk21 {

    static final String HOME_VARIABLE = "DISTLOCK_JAVA21_HOME";
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private Jdk21() {
    }

    /**
     * Returns the {@code java} executable of a JDK 21+, or fails saying what to install.
     *
     * @return the path of {@code bin/java}
     * @throws IllegalStateException naming what to install when there is none
     */
    static Path java() {
        String configured = System.getenv(HOME_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            int version = featureVersion(home).orElse(0);
            if (version < 21 || !Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalStateException(HOME_VARIABLE + "=" + configured + " is not a JDK 21 or newer"
                        + " (found " + (version == 0 ? "no release file" : "Java " + version) + ")");
            }
            return home.resolve("bin/java");
        }
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        return newestUnderJvmDir().orElseThrow(() -> new IllegalStateException(
                "The virtual-thread test needs a JDK 21 or newer next to the build JDK (this build runs on Java "
                        + Runtime.version().feature() + "), and none was found under " + JVM_DIR + ". Install one, "
                        + "for example Adoptium's temurin-21-jdk or temurin-25-jdk Debian package (or "
                        + "openjdk-21-jdk where the distribution has it), or set " + HOME_VARIABLE
                        + " to a JDK 21+ home."));
    }

    private static Optional<Path> newestUnderJvmDir() {
        if (!Files.isDirectory(JVM_DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVM_DIR)) {
            return homes.filter(h -> featureVersion(h).orElse(0) >= 21)
                    .filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .max(Comparator.comparingInt((Path h) -> featureVersion(h).orElse(0)).thenComparing(Path::toString))
                    .map(h -> h.resolve("bin/java"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> featureVersion(Path home) {
        Path release = home.resolve("release");
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
