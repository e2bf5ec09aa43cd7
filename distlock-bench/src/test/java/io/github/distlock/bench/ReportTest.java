package io.github.distlock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.distlock.bench.report.Json;
import io.github.distlock.bench.report.Report;
import io.github.distlock.bench.report.Targets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Row row(String system, String backend, String role, Scenario scenario, int threads, double cps) {
        return new Row(system, backend, role, scenario, threads, cps, 100, 1000);
    }

    @Test
    void distlockRowsAreComparedToThePeersAndCeilingsOfTheirBackendInTheSameScenarioAndThreadCount() {
        Row ours = row("distlock-redis", "redis", "distlock", Scenario.RANDOM_KEYS, 8, 20_000);
        Row redisson = row("redisson", "redis", "peer", Scenario.RANDOM_KEYS, 8, 5_000);
        Row raw = row("lettuce-raw", "redis", "ceiling", Scenario.RANDOM_KEYS, 8, 25_000);
        Row otherThreads = row("redisson", "redis", "peer", Scenario.RANDOM_KEYS, 64, 1_000);
        Row otherBackend = row("jetcd-lock", "etcd", "peer", Scenario.RANDOM_KEYS, 8, 1_000);
        Row reference = row("curator", "zookeeper", "reference", Scenario.RANDOM_KEYS, 8, 1_000);

        Report.computeRatios(List.of(ours, redisson, raw, otherThreads, otherBackend, reference));

        assertThat(ours.ratios()).containsExactly(Map.entry("redisson", 4.0), Map.entry("lettuce-raw", 0.8));
        assertThat(redisson.ratios()).isEmpty();
        assertThat(reference.ratios()).isEmpty();
    }

    @Test
    void targetsAreJudgedFromTheRatiosAndMissingRowsAreReportedAsNotMeasured() {
        Row ours = row("distlock-redis", "redis", "distlock", Scenario.RANDOM_KEYS, 8, 20_000);
        Row redisson = row("redisson", "redis", "peer", Scenario.RANDOM_KEYS, 8, 5_000);
        Row raw = row("lettuce-raw", "redis", "ceiling", Scenario.RANDOM_KEYS, 8, 25_000);
        List<Row> rows = List.of(ours, redisson, raw);
        Report.computeRatios(rows);

        List<Targets.Check> checks = Targets.evaluate(rows);

        assertThat(checks).contains(
                new Targets.Check("Redis: at least 2x Redisson, random keys, 8 threads", "4.00x", "met"),
                new Targets.Check("Redis: at least 85% of the raw Lettuce ceiling, 8 threads", "0.80x", "MISSED"),
                new Targets.Check("Redis: at least 3x Redisson, random keys, 64 threads", "-", "not measured"));
    }

    @Test
    void jsonEscapesStringsAndWritesNanAsNull() {
        String json = Json.write(List.of(Map.of("s", "a\"b\\c\nd\u0001", "n", Double.NaN, "i", 3L, "d", 2.5)));

        assertThat(json).contains("\"a\\\"b\\\\c\\nd\\u0001\"").contains("\"n\": null").contains("\"i\": 3").contains("\"d\": 2.5");
    }

    @Test
    void rowsCarryTheFieldsTheIssueNamesFirst() {
        Row r = row("redisson", "redis", "peer", Scenario.HOT_KEY, 8, 1234.56).put("cycles", 10L);

        assertThat(r.toMap().keySet()).startsWith("system", "backend", "role", "scenario", "threads", "cyclesPerSec",
                "p50Us", "p99Us");
        assertThat(r.toMap()).containsEntry("scenario", "hot-key").containsEntry("cyclesPerSec", 1234.6);
    }

    @Test
    void optionsParseDurationsListsAndQuickDefaults() {
        BenchOptions quick = BenchOptions.parse("--quick", "--only", "distlock-redis,redisson", "--scenarios",
                "random-keys,held-locks", "--threads", "2,4", "--measure", "1.5s", "--held-ttl", "PT6S");

        assertThat(quick.quick()).isTrue();
        assertThat(quick.systems()).containsExactly("distlock-redis", "redisson");
        assertThat(quick.scenarios()).containsExactly(Scenario.RANDOM_KEYS, Scenario.HELD_LOCKS);
        assertThat(quick.randomKeyThreads()).containsExactly(2, 4);
        assertThat(quick.measure()).isEqualTo(Duration.ofMillis(1500));
        assertThat(quick.warmup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(quick.renewalInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(BenchOptions.parse().heldLocks()).isEqualTo(10_000);
        assertThatThrownBy(() -> BenchOptions.parse("--held-ttl", "1s")).hasMessageContaining("at least 2s");
        assertThatThrownBy(() -> BenchOptions.parse("--scenarios", "nope")).hasMessageContaining("random-keys");
        assertThatThrownBy(() -> BenchOptions.parse("--bogus")).hasMessageContaining("usage");
    }
}
