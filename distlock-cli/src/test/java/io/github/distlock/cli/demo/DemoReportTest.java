package io.github.distlock.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.cli.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    private static WorkerStats stats(long acquisitions, long stale) {
        WorkerStats s = new WorkerStats();
        s.acquisitions = acquisitions;
        s.staleTokens = stale;
        s.elapsedNanos = 2_000_000_000L;
        for (int i = 1; i <= 100; i++) {
            s.acquire.record(i * 10_000L);
        }
        s.handoff.record(300_000);
        return s;
    }

    @Test
    void reportsTheIssuesFieldsAndJudgesSafety() {
        DemoReport good = new DemoReport("redis://h:1", "threads", 0, 8, 3, stats(1000, 0), 1000);
        Map<String, Object> json = Json.parseObject(Json.write(good.toJson()));
        assertThat(json).containsKeys("backend", "workers", "acquisitions", "lostUpdates", "staleTokens",
                "throughputPerSec", "acquireP50Ms", "acquireP99Ms", "handoffP50Ms");
        assertThat(json.get("throughputPerSec")).isEqualTo(500L);
        assertThat((Double) json.get("acquireP50Ms")).isBetween(0.48, 0.52);
        assertThat((Double) json.get("acquireP99Ms")).isBetween(0.96, 1.02);
        assertThat(json.get("lostUpdates")).isEqualTo(0L);
        assertThat(json.get("ok")).isEqualTo(true);

        DemoReport lost = new DemoReport("mem:", "threads", 0, 8, 3, stats(1000, 0), 990);
        assertThat(lost.lostUpdates()).isEqualTo(10);
        assertThat(lost.ok()).isFalse();
        assertThat(new DemoReport("mem:", "threads", 0, 8, 3, stats(1000, 1), 1000).ok()).isFalse();
    }

    @Test
    void printsAReadableTable() {
        StringWriter out = new StringWriter();
        new DemoReport("mem:", "processes", 2, 8, 3, stats(1234, 0), 1234).printTable(new PrintWriter(out));
        assertThat(out.toString())
                .contains("8 workers in 2 processes")
                .contains("acquisitions").contains("1,234")
                .contains("throughput").contains("617/s")
                .contains("acquire latency p50").contains("acquire latency p99").contains("hand-off latency p50")
                .contains("lost updates").contains("stale fencing tokens")
                .contains("Mutual exclusion held");
    }

    @Test
    void workerStatsTravelAsJson() {
        WorkerStats s = stats(77, 2);
        s.leasesLost = 1;
        WorkerStats back = WorkerStats.fromJson(Json.parseObject(s.toJson()));
        assertThat(back.acquisitions()).isEqualTo(77);
        assertThat(back.staleTokens()).isEqualTo(2);
        assertThat(back.leasesLost()).isEqualTo(1);
        assertThat(back.elapsedNanos()).isEqualTo(s.elapsedNanos());
        assertThat(back.acquireLatency().percentile(50)).isEqualTo(s.acquireLatency().percentile(50));
        assertThat(back.handoffLatency().count()).isEqualTo(1);
    }
}
