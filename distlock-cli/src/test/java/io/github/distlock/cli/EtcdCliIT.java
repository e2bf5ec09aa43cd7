package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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
class EtcdCliIT extends CliScenario {

    @RegisterExtension
    static final ClassResource<EtcdServer> ETCD = ClassResource.of(EtcdServer::start);

    private String strategy = "txn";

    private static String uri(EtcdServer server, String strategy) {
        return "etcd://127.0.0.1:" + server.clientPort() + "?strategy=" + strategy;
    }

    @Override
    String backendUri() {
        return uri(ETCD.get(), strategy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void twoRunsContendAndTakeTurns(String strategy) throws IOException {
        this.strategy = strategy;
        String log = "echo $1 >> turns.log";
        CliProcess first = start("run", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > first.token; while [ ! -f release ]; do sleep 0.05; done; echo end-first >> turns.log",
                "sh", "start-first");
        awaitFile("first.token", first);
        CliProcess second = start("run", "--verbose", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > second.token; echo end-second >> turns.log", "sh", "start-second");
        await().atMost(PATIENCE).failFast(() -> !second.isAlive()).until(() -> second.stderr().contains("waiting for '" + key + "'"));
        touch("release");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(Files.readAllLines(file("turns.log"))).containsExactly("start-first", "end-first", "start-second", "end-second");
        assertThat(Long.parseLong(read("second.token"))).isGreaterThan(Long.parseLong(read("first.token")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void conflictsExitWithTheConflictCode(String strategy) throws IOException {
        this.strategy = strategy;
        CliProcess holder = holder("h");
        assertThat(run("run", "-n", key, "--", "touch", "ran").exitCode()).isEqualTo(1);
        assertThat(run("run", "-n", "-E", "42", key, "--", "touch", "ran").exitCode()).isEqualTo(42);
        CliProcess timed = run("run", "-w", "1500ms", key, "--", "touch", "ran");
        assertThat(timed.exitCode()).as(timed.toString()).isEqualTo(1);
        assertThat(timed.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(file("ran")).doesNotExist();
        touch("h.release");
        assertThat(holder.exitCode()).isZero();
    }

    @Test
    void afterAKillMinus9OfTheHolderTheNextRunGetsTheLockOnceTheTtlRanOut() {
        CliProcess holder = start("run", "--ttl", "8s", key, "--", "sh", "-c",
                "echo $$ > holder.pid; echo $DISTLOCK_FENCING_TOKEN > holder.tmp && mv holder.tmp holder.token; exec sleep 300");
        awaitFile("holder.token", holder);
        long orphan = Long.parseLong(read("holder.pid"));
        try {
            holder.process().destroyForcibly();
            holder.await(PATIENCE);
            assertThat(statusJson()).containsEntry("held", true);
            CliProcess next = run("run", "-w", "30s", key, "--", "sh", "-c", "echo $DISTLOCK_FENCING_TOKEN > next.token");
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
            CliProcess run = start(env, "run", "--ttl", "3s", "--kill-grace", "1s", key, "--", "sh", "-c",
                    "trap 'echo term >> signals.log' TERM; echo $$ > child.pid; while :; do sleep 0.1; done");
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
        strategy = "mutex";
        CliProcess run = run("run", key, "--", "sh", "-c",
                "printf '%s|%s|%s' \"$DISTLOCK_KEY\" \"$DISTLOCK_FENCING_TOKEN\" \"$DISTLOCK_BACKEND\" > env.txt; exit 7");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        String[] env = read("env.txt").split("\\|");
        assertThat(env[0]).isEqualTo(key);
        assertThat(Long.parseLong(env[1])).isPositive();
        assertThat(env[2]).isEqualTo(uri(ETCD.get(), "mutex"));

        strategy = "txn";
        CliProcess a = holder("a", "--shared");
        CliProcess b = holder("b", "--shared");
        assertThat(statusJson()).containsEntry("held", true).containsEntry("type", "shared").containsEntry("holders", 2L);
        CliProcess list = run("list", "--json", prefix);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).contains(key);
        touch("a.release");
        touch("b.release");
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"txn", "mutex"})
    void demoWithThreadsAndProcessesReportsNoLostUpdatesAndNoStaleTokens(String strategy) {
        for (List<String> extra : List.of(List.<String>of(), List.of("--processes", "2", "--workers", "4"))) {
            List<String> args = new ArrayList<>(List.of("demo", "--json", "--duration", "3s", "--backend", uri(ETCD.get(), strategy)));
            args.addAll(extra);
            CliProcess demo = CliProcess.run(dir, Map.of(), args.toArray(String[]::new));
            assertThat(demo.exitCode()).as(demo.toString()).isZero();
            Map<String, Object> report = Json.parseObject(demo.stdout().trim());
            assertThat((Long) report.get("acquisitions")).isPositive();
            assertThat(report).containsEntry("lostUpdates", 0L).containsEntry("staleTokens", 0L).containsEntry("ok", true);
        }
    }
}
