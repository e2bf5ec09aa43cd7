package io.github.distlock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 virtual threads contend for Redis locks through the blocking API, in a worker JVM on a
 * JDK 21+ ({@link VirtualThreadContention}; the build itself runs on Java 17): no update is lost,
 * and JFR sees no virtual thread blocking while pinned to its carrier.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisVirtualThreadsIT {

    private static final int THREADS = 10_000;
    private static final int KEYS = 500;
    private static final long WORK_DEADLINE_SECONDS = 60;

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    @Test
    void tenThousandVirtualThreadsContendWithoutPinningOrLostUpdates() throws Exception {
        Path java = Jdk21.java();
        List<String> command = List.of(java.toString(), "-Xmx1g", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), VirtualThreadContention.class.getName(),
                SERVER.get().uri(), Integer.toString(THREADS), Integer.toString(KEYS), Long.toString(WORK_DEADLINE_SECONDS));
        Process worker = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> readLines(worker));
            assertThat(worker.waitFor(WORK_DEADLINE_SECONDS + 30, TimeUnit.SECONDS))
                    .as("the worker JVM (%s) finished", java).isTrue();
            List<String> lines = output.get(10, TimeUnit.SECONDS);
            String result = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("the worker JVM printed no result (exit "
                            + worker.exitValue() + "):\n" + String.join("\n", lines)));
            System.out.println("virtual-thread worker on " + java + ": " + result);
            Map<String, String> values = parse(result);
            List<String> pinned = lines.stream().filter(l -> l.startsWith("PINNED ")).toList();
            assertThat(worker.exitValue()).as("worker exit status; output:\n%s", String.join("\n", lines)).isZero();
            assertThat(values.get("virtual")).as("every task ran on a virtual thread").isEqualTo("true");
            assertThat(values.get("acquisitions")).isEqualTo(Integer.toString(THREADS));
            assertThat(values.get("lostUpdates")).as("updates lost").isEqualTo("0");
            assertThat(values.get("pinned")).as("virtual threads blocked while pinned:\n%s", String.join("\n", pinned))
                    .isEqualTo("0");
        } finally {
            worker.destroyForcibly();
        }
    }

    private static List<String> readLines(Process process) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (java.io.IOException e) {
            lines.add("(reading the worker's output failed: " + e + ")");
        }
        return lines;
    }

    private static Map<String, String> parse(String result) {
        Map<String, String> values = new TreeMap<>();
        for (String part : result.substring("RESULT ".length()).split(" ")) {
            int eq = part.indexOf('=');
            values.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return values;
    }
}
