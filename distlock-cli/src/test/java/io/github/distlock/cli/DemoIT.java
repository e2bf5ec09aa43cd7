package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distlock demo} end to end: the shaded jar as a process, on the embedded {@code mem:}
 * backend and on a real redis-server, with worker threads and with worker processes; and the
 * demo's own test: with exclusion deliberately broken it must report lost updates and fail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoIT {

    @RegisterExtension
    static final ClassResource<RedisServer> REDIS = ClassResource.of(RedisServer::start);

    @TempDir
    Path dir;

    private Map<String, Object> demoJson(int expectedExit, String... args) {
        CliProcess demo = CliProcess.run(dir, Map.of(), args);
        assertThat(demo.exitCode()).as(demo.toString()).isEqualTo(expectedExit);
        assertThat(demo.stdout().lines().count()).as("one JSON object on one line: " + demo.stdout()).isEqualTo(1);
        return Json.parseObject(demo.stdout().trim());
    }

    private static void assertSafe(Map<String, Object> report) {
        assertThat(report).containsKeys("backend", "workers", "acquisitions", "lostUpdates", "staleTokens",
                "throughputPerSec", "acquireP50Ms", "acquireP99Ms", "handoffP50Ms");
        assertThat((Long) report.get("acquisitions")).isPositive();
        assertThat(report).containsEntry("lostUpdates", 0L).containsEntry("staleTokens", 0L).containsEntry("ok", true);
        assertThat(((Number) report.get("throughputPerSec")).doubleValue()).isPositive();
    }

    @Test
    void onMemWithThreads() {
        Map<String, Object> report = demoJson(0, "demo", "--json", "--duration", "2s");
        assertSafe(report);
        assertThat(report).containsEntry("backend", "mem:").containsEntry("mode", "threads").containsEntry("workers", 8L);
    }

    @Test
    void onRedisWithThreads() {
        Map<String, Object> report = demoJson(0, "demo", "--json", "--duration", "2s", "--backend", REDIS.get().uri());
        assertSafe(report);
        assertThat(report).containsEntry("backend", REDIS.get().uri()).containsEntry("mode", "threads");
        assertThat(report.get("handoffP50Ms")).isInstanceOf(Number.class);
    }

    @Test
    void onRedisWithProcesses() {
        Map<String, Object> report = demoJson(0, "demo", "--json", "--duration", "3s", "--backend", REDIS.get().uri(),
                "--processes", "3", "--workers", "6");
        assertSafe(report);
        assertThat(report).containsEntry("mode", "processes").containsEntry("processes", 3L).containsEntry("workers", 6L);
    }

    @Test
    void aBrokenLockShowsUpAsLostUpdatesAcrossProcessesAndFails() {
        // Hidden switch: each worker releases the lock before its critical section.
        Map<String, Object> report = demoJson(ExitCodes.DEMO_UNSAFE, "demo", "--json", "--duration", "2s",
                "--backend", REDIS.get().uri(), "--processes", "2", "--workers", "8", "--keys", "1", "--unsafe-break-exclusion");
        assertThat((Long) report.get("lostUpdates")).isPositive();
        assertThat(report).containsEntry("ok", false);
    }

    @Test
    void withoutJsonItPrintsATableAndOnRequestAProgressBar() {
        CliProcess demo = CliProcess.run(dir, Map.of(), "demo", "--duration", "1s", "--progress");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.stdout()).contains("distlock demo: backend mem:, 8 worker threads, 3 keys")
                .contains("acquisitions", "throughput", "acquire latency p50", "acquire latency p99",
                        "hand-off latency p50", "lost updates", "stale fencing tokens", "Mutual exclusion held");
        assertThat(demo.stderr()).contains("\r[#").contains("acquisitions");
    }
}
