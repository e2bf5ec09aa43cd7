package io.github.distlock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.bench.systems.SystemCatalog;
import io.github.distlock.bench.systems.SystemSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole harness briefly, every system in every scenario it supports, so that it cannot
 * rot: each run must complete cycles (or hold locks) and the three result files must be written.
 * Each system is warmed up before its window (the harness does that for every run). Nothing here
 * asserts a timing or a ratio; those belong to {@code scripts/bench} on a quiet
 * machine.
 */
class BenchHarnessIT {

    @Test
    void everySystemMeasuresEveryScenarioItSupportsAndTheResultFilesAreWritten(@TempDir Path out) throws Exception {
        BenchOptions options = BenchOptions.parse("--warmup", "100ms", "--measure", "400ms", "--threads", "4",
                "--held-locks", "100", "--held-ttl", "2s", "--out", out.toString(), "--name", "it");

        BenchMain.Result result = BenchMain.run(options, System.out::println);

        for (SystemSpec spec : SystemCatalog.all()) {
            for (Scenario scenario : spec.scenarios()) {
                List<Row> rows = result.rows().stream()
                        .filter(r -> r.system().equals(spec.id()) && r.scenario() == scenario).toList();
                assertThat(rows).as("%s in %s", spec.id(), scenario).hasSize(1);
                Row row = rows.get(0);
                if (scenario == Scenario.HELD_LOCKS) {
                    assertThat(row.number("heldLocks")).as("locks held by %s: %s", spec.id(), row).isPositive();
                } else {
                    // Completed cycles, warm-up included: on a loaded machine a hot-key cycle
                    // (seven hand-offs of waiting) can outlast the short window itself.
                    assertThat(row.number("cyclesCompleted")).as("cycles of %s in %s: %s", spec.id(), scenario, row)
                            .isPositive();
                }
            }
        }
        assertThat(result.files()).containsExactly(out.resolve("it.json"), out.resolve("it.md"), out.resolve("it.png"));
        String json = Files.readString(out.resolve("it.json"), StandardCharsets.UTF_8);
        assertThat(json).startsWith("[").contains("\"system\": \"distlock-redis\"", "\"cyclesPerSec\"", "\"p50Us\"",
                "\"p99Us\"", "\"ratios\"");
        assertThat(Files.readString(out.resolve("it.md"), StandardCharsets.UTF_8))
                .contains("| random-keys | 4 | **distlock-redis** |", "## Held locks", "## SPEC §4 targets");
        byte[] png = Files.readAllBytes(out.resolve("it.png"));
        assertThat(png).hasSizeGreaterThan(1000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
