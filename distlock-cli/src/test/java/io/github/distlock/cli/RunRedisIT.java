package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code distlock run}, {@code status} and {@code list} end to end: the shaded jar as real
 * processes against a real redis-server (see {@link CliScenario}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunRedisIT extends CliScenario {

    @RegisterExtension
    static final ClassResource<RedisServer> REDIS = ClassResource.of(RedisServer::start);

    @Override
    String backendUri() {
        return REDIS.get().uri();
    }

    @Test
    void twoRunsContendAndTakeTurns() throws IOException {
        String log = "echo $1 >> turns.log";
        CliProcess first = start("run", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > first.token; while [ ! -f release ]; do sleep 0.05; done; echo end-first >> turns.log",
                "sh", "start-first");
        awaitFile("first.token", first);
        CliProcess second = start("run", "--verbose", key, "--", "sh", "-c",
                log + "; echo $DISTLOCK_FENCING_TOKEN > second.token; echo end-second >> turns.log", "sh", "start-second");
        await().atMost(PATIENCE).failFast(() -> !second.isAlive())
                .until(() -> second.stderr().contains("waiting for '" + key + "': locked by another holder"));
        assertThat(file("second.token")).doesNotExist();

        touch("release");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(Files.readAllLines(file("turns.log")))
                .containsExactly("start-first", "end-first", "start-second", "end-second");
        assertThat(Long.parseLong(read("second.token"))).isGreaterThan(Long.parseLong(read("first.token")));
        assertThat(statusJson()).containsEntry("held", false);
    }

    @Test
    void conflictsExitWithTheConflictCodeAndNeverRunTheCommand() throws IOException {
        CliProcess holder = holder("h");

        CliProcess nonblock = run("run", "-n", key, "--", "touch", "ran-n");
        assertThat(nonblock.exitCode()).as(nonblock.toString()).isEqualTo(1);
        assertThat(nonblock.stderr()).contains("'" + key + "' is locked by another holder");

        assertThat(run("run", "--nonblock", "-E", "42", key, "--", "touch", "ran-E").exitCode()).isEqualTo(42);
        assertThat(run("run", "-w", "0", key, "--", "touch", "ran-w0").exitCode()).isEqualTo(1);

        CliProcess timed = run("run", "-w", "1500ms", "--conflict-exit-code", "7", key, "--", "touch", "ran-w");
        assertThat(timed.exitCode()).as(timed.toString()).isEqualTo(7);
        assertThat(timed.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(timed.stderr()).contains("timed out after 1.5s waiting for '" + key + "'");

        assertThat(dir.toFile().list((d, name) -> name.startsWith("ran-"))).isEmpty();
        touch("h.release");
        assertThat(holder.exitCode()).isZero();
        assertThat(run("run", "-n", key, "--", "touch", "ran-after").exitCode()).isZero();
        assertThat(file("ran-after")).exists();
    }

    @Test
    void afterAKillMinus9OfTheHolderTheNextRunGetsTheLockOnceTheTtlRanOut() {
        CliProcess holder = start("run", "--ttl", "8s", key, "--", "sh", "-c",
                "echo $$ > holder.pid; echo $DISTLOCK_FENCING_TOKEN > holder.tmp && mv holder.tmp holder.token; exec sleep 300");
        awaitFile("holder.token", holder);
        long orphan = Long.parseLong(read("holder.pid"));
        try {
            holder.process().destroyForcibly(); // kill -9 of the run process alone: nothing is released
            holder.await(PATIENCE);
            Map<String, Object> status = statusJson();
            assertThat(status).containsEntry("held", true).containsEntry("type", "exclusive");
            assertThat((Long) status.get("remainingTtlMs")).isPositive().isLessThanOrEqualTo(8000L);

            CliProcess next = run("run", "-w", "30s", key, "--", "sh", "-c", "echo $DISTLOCK_FENCING_TOKEN > next.token");
            assertThat(next.exitCode()).as(next.toString()).isZero();
            assertThat(Long.parseLong(read("next.token"))).isGreaterThan(Long.parseLong(read("holder.token")));
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void losingTheLockStopsTheCommandWithTermThenKillAndExits75() {
        try (RedisServer own = RedisServer.start()) {
            Map<String, String> env = Map.of("DISTLOCK_BACKEND", own.uri());
            // The command ignores SIGTERM (it only notes it), so SIGKILL after the grace must end it.
            CliProcess run = start(env, "run", "--ttl", "2s", "--kill-grace", "1s", key, "--", "sh", "-c",
                    "trap 'echo term >> signals.log' TERM; echo $$ > child.pid; while :; do sleep 0.1; done");
            awaitFile("child.pid", run);
            long child = Long.parseLong(read("child.pid"));
            own.pause(); // renewals stop reaching the store: the lease runs out
            try {
                assertThat(run.await(PATIENCE)).as(run.toString()).isEqualTo(ExitCodes.LOCK_LOST);
                // While the store is unreachable, status fails within its timeout with 69.
                CliProcess status = CliProcess.run(dir, env, "status", "--backend-timeout", "1s", key);
                assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
                assertThat(status.stderr()).startsWith("distlock: backend unavailable: ");
                assertThat(status.elapsed()).isLessThan(Duration.ofSeconds(15));
            } finally {
                own.resume();
            }
            assertThat(run.stderr()).contains("lost the lock on '" + key + "'").contains("SIGKILL after 1.0s");
            assertThat(read("signals.log")).isEqualTo("term");
            await().atMost(PATIENCE).until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) == false);
        }
    }

    @Test
    void theCommandsExitStatusOutputAndEnvironmentPassThrough() {
        CliProcess run = run("run", key, "--", "sh", "-c",
                "printf '%s|%s|%s' \"$DISTLOCK_KEY\" \"$DISTLOCK_FENCING_TOKEN\" \"$DISTLOCK_BACKEND\" > env.txt; "
                        + "echo to-stdout; echo to-stderr >&2; exit 7");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.stdout()).isEqualTo("to-stdout\n");
        assertThat(run.stderr()).isEqualTo("to-stderr\n");
        String[] env = read("env.txt").split("\\|");
        assertThat(env[0]).isEqualTo(key);
        assertThat(Long.parseLong(env[1])).isPositive();
        assertThat(env[2]).isEqualTo(REDIS.get().uri());

        CliProcess killed = run("run", key, "--", "sh", "-c", "kill -TERM $$");
        assertThat(killed.exitCode()).isEqualTo(128 + 15);
        assertThat(run("run", key, "--", "no-such-command-here").exitCode()).isEqualTo(ExitCodes.COMMAND_NOT_FOUND);
        assertThat(statusJson()).containsEntry("held", false);
    }

    @Test
    void credentialsComeFromTheUriOrDistlockPasswordAndAreNeverShown() {
        String secret = "s3cret-" + UUID.randomUUID();
        try (RedisServer secured = RedisServer.builder().arg("--requirepass", secret).start()) {
            String plain = "redis://127.0.0.1:" + secured.port();
            Map<String, String> fromEnv = Map.of("DISTLOCK_BACKEND", plain, "DISTLOCK_PASSWORD", secret);
            CliProcess run = CliProcess.run(dir, fromEnv, "run", key, "--", "sh", "-c", "echo \"$DISTLOCK_BACKEND\" > env.txt");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(read("env.txt")).isEqualTo(plain);

            CliProcess inUri = CliProcess.run(dir, Map.of(), "run", "--backend", "redis://:" + secret + "@127.0.0.1:" + secured.port(),
                    key, "--", "sh", "-c", "echo \"$DISTLOCK_BACKEND\" > env2.txt");
            assertThat(inUri.exitCode()).as(inUri.toString()).isZero();
            assertThat(read("env2.txt")).isEqualTo(plain);

            CliProcess list = CliProcess.run(dir, fromEnv, "list", "--json");
            assertThat(list.exitCode()).isZero();
            assertThat(Json.parseObject(list.stdout().trim())).containsEntry("backend", "redis://:***@127.0.0.1:" + secured.port());

            CliProcess wrong = CliProcess.run(dir, Map.of("DISTLOCK_BACKEND", "redis://:wrong-" + secret + "@127.0.0.1:" + secured.port()),
                    "status", key);
            assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(wrong.stderr()).contains("authentication");

            for (CliProcess p : List.of(run, inUri, list, wrong)) {
                assertThat(p.stdout() + p.stderr()).doesNotContain(secret);
            }
        }
    }

    @Test
    void sigtermIsForwardedToTheCommandAndTheLockReleased() {
        CliProcess run = start("run", key, "--", "sh", "-c",
                "trap 'echo got-term > signal.txt; exit 42' TERM; echo ready > ready.txt; while :; do sleep 0.1; done");
        awaitFile("ready.txt", run);
        run.process().destroy(); // SIGTERM to run only, not to its command
        assertThat(run.await(PATIENCE)).as(run.toString()).isEqualTo(42);
        assertThat(read("signal.txt")).isEqualTo("got-term");
        assertThat(statusJson()).containsEntry("held", false);
    }

    @Test
    void sigtermWhileWaitingEndsRunBeforeItsCommandStarts() throws IOException {
        CliProcess holder = holder("h");
        CliProcess waiter = start("run", "--verbose", key, "--", "touch", "never.txt");
        await().atMost(PATIENCE).failFast(() -> !waiter.isAlive()).until(() -> waiter.stderr().contains("waiting for"));
        waiter.process().destroy();
        assertThat(waiter.await(PATIENCE)).as(waiter.toString()).isEqualTo(128 + 15);
        touch("h.release");
        assertThat(holder.exitCode()).isZero();
        assertThat(file("never.txt")).doesNotExist();
    }

    @Test
    void sharedHoldersShowInStatusAndListAndKeepWritersOut() throws IOException {
        CliProcess a = holder("a", "--shared");
        CliProcess b = holder("b", "-s");
        Map<String, Object> status = statusJson();
        assertThat(status).containsEntry("key", key).containsEntry("held", true).containsEntry("type", "shared")
                .containsEntry("holders", 2L).containsEntry("backend", REDIS.get().uri());
        assertThat((Long) status.get("fencingToken")).isEqualTo(Math.max(Long.parseLong(read("a.token")), Long.parseLong(read("b.token"))));
        assertThat((Long) status.get("remainingTtlMs")).isPositive();

        CliProcess human = run("status", key);
        assertThat(human.stdout()).startsWith(key + ": held, shared, 2 holders, fencing token ");
        CliProcess list = run("list", "--json", prefix);
        Map<String, Object> listed = Json.parseObject(list.stdout().trim());
        assertThat(listed).containsEntry("prefix", prefix).containsEntry("truncated", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> locks = (List<Map<String, Object>>) listed.get("locks");
        assertThat(locks).anySatisfy(item -> assertThat(item).containsEntry("key", key).containsEntry("holders", 2L));
        assertThat(run("list", prefix).stdout()).contains("KEY").contains(key).contains("shared");

        assertThat(run("run", "-n", key, "--", "true").exitCode()).isEqualTo(1);
        assertThat(run("run", "-n", "-s", key, "--", "true").exitCode()).isZero();
        touch("a.release");
        touch("b.release");
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
        assertThat(run("list", "--json", key).stdout()).contains("\"count\":0");
    }
}
