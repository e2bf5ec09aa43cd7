package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.server.EtcdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI end to end on etcd, both strategies: the shaded jar as processes against a real etcd.
 *
 * <p>PENDING until distlock-etcd is merged. To enable: add the {@code distlock-etcd} dependency
 * to distlock-cli/pom.xml (next to distlock-redis) and move this file to
 * {@code src/test/java/io/github/distlock/cli/}. Nothing else changes: the CLI finds the etcd
 * backend through ServiceLoader, and the shaded jar merges the service files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdCliIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static EtcdServer etcd;

    @TempDir
    Path dir;

    private final String key = "it/etcd/" + UUID.randomUUID();
    private final List<CliProcess> started = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(CliProcess::kill);
    }

    private static String uri(EtcdServer server, String strategy) {
        return "etcd://127.0.0.1:" + server.clientPort() + "?strategy=" + strategy;
    }

    private CliProcess start(String strategy, String... args) {
        CliProcess p = CliProcess.start(dir, Map.of("DISTLOCK_BACKEND", uri(etcd, strategy)), args);
        started.add(p);
        return p;
    }

    private CliProcess run(String strategy, String... args) {
        CliProcess p = start(strategy, args);
        p.exitCode();
        return p;
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    private String read(String name) {
        try {
            return Files.readString(file(name), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitFile(String name, CliProcess owner) {
        await().atMost(PATIENCE).failFast(() -> !owner.isAlive()).until(() -> Files.exists(file(name)));
    }

    private CliProcess holder(String strategy, String tag, String... runOptions) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(runOptions));
        args.addAll(List.of(key, "--", "sh", "-c",
                "echo $DISTLOCK_FENCING_TOKEN > " + tag + ".tmp && mv " + tag + ".tmp " + tag + ".token; "
                        + "while [ ! -f " + tag + ".release ]; do sleep 0.05; done"));
        CliProcess p = start(strategy, args.toArray(String[]::new));
        awaitFile(tag + ".token", p);
        return p;
    }

    private Map<String, Object> statusJson(String strategy) {
        CliProcess status = run(strategy, "status", "--json", key);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return Json.parseObject(status.stdout().trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void twoRunsContendAndTakeTurns(String strategy) throws IOException {
        String log = "echo $1 >> turns.log";
        CliProcess first = start(strategy, "run", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > first.token; while [ ! -f release ]; do sleep 0.05; done; echo end-first >> turns.log",
                "sh", "start-first");
        awaitFile("first.token", first);
        CliProcess second = start(strategy, "run", "--verbose", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > second.token; echo end-second >> turns.log", "sh", "start-second");
        await().atMost(PATIENCE).failFast(() -> !second.isAlive()).until(() -> second.stderr().contains("waiting for '" + key + "'"));
        Files.writeString(file("release"), "x");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(Files.readAllLines(file("turns.log"))).containsExactly("start-first", "end-first", "start-second", "end-second");
        assertThat(Long.parseLong(read("second.token"))).isGreaterThan(Long.parseLong(read("first.token")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void conflictsExitWithTheConflictCode(String strategy) throws IOException {
        CliProcess holder = holder(strategy, "h");
        assertThat(run(strategy, "run", "-n", key, "--", "touch", "ran").exitCode()).isEqualTo(1);
        assertThat(run(strategy, "run", "-n", "-E", "42", key, "--", "touch", "ran").exitCode()).isEqualTo(42);
        CliProcess timed = run(strategy, "run", "-w", "1500ms", key, "--", "touch", "ran");
        assertThat(timed.exitCode()).as(timed.toString()).isEqualTo(1);
        assertThat(timed.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(file("ran")).doesNotExist();
        Files.writeString(file("h.release"), "x");
        assertThat(holder.exitCode()).isZero();
    }

    @Test
    void afterAKillMinus9OfTheHolderTheNextRunGetsTheLockOnceTheTtlRanOut() {
        CliProcess holder = start("txn", "run", "--ttl", "3s", key, "--", "sh", "-c",
                "echo $$ > holder.pid; echo $DISTLOCK_FENCING_TOKEN > holder.tmp && mv holder.tmp holder.token; exec sleep 300");
        awaitFile("holder.token", holder);
        long orphan = Long.parseLong(read("holder.pid"));
        try {
            holder.process().destroyForcibly();
            holder.await(PATIENCE);
            assertThat(statusJson("txn")).containsEntry("held", true);
            CliProcess next = run("txn", "run", "-w", "30s", key, "--", "sh", "-c", "echo $DISTLOCK_FENCING_TOKEN > next.token");
            assertThat(next.exitCode()).as(next.toString()).isZero();
            assertThat(Long.parseLong(read("next.token"))).isGreaterThan(Long.parseLong(read("holder.token")));
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void losingTheLockStopsTheCommandAndExits75() {
        try (EtcdServer own = EtcdServer.start()) {
            Map<String, String> env = Map.of("DISTLOCK_BACKEND", uri(own, "txn"));
            CliProcess run = CliProcess.start(dir, env, "run", "--ttl", "3s", "--kill-grace", "1s", key, "--", "sh", "-c",
                    "trap 'echo term >> signals.log' TERM; echo $$ > child.pid; while :; do sleep 0.1; done");
            started.add(run);
            awaitFile("child.pid", run);
            long child = Long.parseLong(read("child.pid"));
            own.pause();
            try {
                assertThat(run.await(PATIENCE)).as(run.toString()).isEqualTo(ExitCodes.LOCK_LOST);
                CliProcess status = CliProcess.run(dir, env, "status", "--backend-timeout", "1s", key);
                assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            } finally {
                own.resume();
            }
            assertThat(read("signals.log")).isEqualTo("term");
            await().atMost(PATIENCE).until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) == false);
        }
    }

    @Test
    void exitStatusEnvironmentStatusAndList() throws IOException {
        CliProcess run = run("mutex", "run", key, "--", "sh", "-c",
                "printf '%s|%s|%s' \"$DISTLOCK_KEY\" \"$DISTLOCK_FENCING_TOKEN\" \"$DISTLOCK_BACKEND\" > env.txt; exit 7");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        String[] env = read("env.txt").split("\\|");
        assertThat(env[0]).isEqualTo(key);
        assertThat(Long.parseLong(env[1])).isPositive();
        assertThat(env[2]).isEqualTo(uri(etcd, "mutex"));

        CliProcess a = holder("txn", "a", "--shared");
        CliProcess b = holder("txn", "b", "--shared");
        assertThat(statusJson("txn")).containsEntry("held", true).containsEntry("type", "shared").containsEntry("holders", 2L);
        CliProcess list = run("txn", "list", "--json", "it/etcd/");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).contains(key);
        Files.writeString(file("a.release"), "x");
        Files.writeString(file("b.release"), "x");
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void demoWithThreadsAndProcessesReportsNoLostUpdatesAndNoStaleTokens(String strategy) {
        for (List<String> extra : List.of(List.<String>of(), List.of("--processes", "2", "--workers", "4"))) {
            List<String> args = new ArrayList<>(List.of("demo", "--json", "--duration", "3s", "--backend", uri(etcd, strategy)));
            args.addAll(extra);
            CliProcess demo = CliProcess.run(dir, Map.of(), args.toArray(String[]::new));
            assertThat(demo.exitCode()).as(demo.toString()).isZero();
            Map<String, Object> report = Json.parseObject(demo.stdout().trim());
            assertThat((Long) report.get("acquisitions")).isPositive();
            assertThat(report).containsEntry("lostUpdates", 0L).containsEntry("staleTokens", 0L).containsEntry("ok", true);
        }
    }
}
