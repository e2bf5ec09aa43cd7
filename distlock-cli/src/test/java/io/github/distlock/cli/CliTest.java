package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command line in-process: parsing, usage errors, exit codes, masking and JSON output.
 * ({@code run} with a command is tested end to end in {@code RunRedisIT}: it takes over the
 * JVM's signal handlers, which a test JVM must keep.)
 */
class CliTest {

    private final Map<String, String> env = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CliContext ctx = new CliContext(env, new PrintWriter(out, true), new PrintWriter(err, true), false);
        return Main.execute(ctx, args);
    }

    private String firstErrLine() {
        return err.toString().lines().findFirst().orElse("");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void noCommandPrintsAOneLineErrorAndTheUsage() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(firstErrLine()).isEqualTo("distlock: missing command: demo, run, status or list");
        assertThat(err.toString()).contains("Usage: distlock").contains("DISTLOCK_BACKEND");
    }

    @Test
    void aBadDurationIsAUsageErrorNamingTheOptionAndValue() {
        assertThat(run("run", "-w", "5x", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(firstErrLine()).startsWith("distlock: Invalid value for option '--wait': '5x' is not a duration");
        assertThat(err.toString()).contains("Usage: distlock run");
    }

    @Test
    void otherBadRunArgumentsAreUsageErrors() {
        assertThat(run("run", "-E", "300", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(firstErrLine()).contains("--conflict-exit-code").contains("300");
        assertThat(run("run", "key")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "-n", "-w", "1s", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "-s", "-x", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--ttl", "0", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--frobnicate", "key", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("list", "--limit", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("demo", "--keys", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("status")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpAndVersionSucceedAndNeverShowSecretsFromTheEnvironment() {
        env.put("DISTLOCK_BACKEND", "redis://:env-secret-1@localhost:6379");
        env.put("DISTLOCK_PASSWORD", "env-secret-2");
        assertThat(run("run", "--help")).isZero();
        assertThat(run("demo", "--help")).isZero();
        assertThat(run("help", "status")).isZero();
        assertThat(run("--help")).isZero();
        assertThat(run("--version")).isZero();
        assertThat(out.toString())
                .contains("--nonblock", "--wait", "--conflict-exit-code", "--shared", "--ttl", "--kill-grace", "Exit status")
                .contains("distlock ")
                .doesNotContain("env-secret");
        assertThat(err.toString()).doesNotContain("env-secret");
    }

    @Test
    void anUnknownSchemeIsAUsageErrorWithThePasswordMasked() {
        assertThat(run("status", "--backend", "foo://user:uri-secret-1@host", "key")).isEqualTo(ExitCodes.USAGE);
        assertThat(firstErrLine()).contains("no distlock backend handles scheme 'foo'").contains("foo://user:***@host");
        assertThat(err.toString()).contains("Usage: distlock status").doesNotContain("uri-secret-1");
    }

    @Test
    void aMistypedOptionDoesNotEchoTheSecretItCarries() {
        assertThat(run("status", "--bakend", "redis://:uri-secret-2@host:1", "key")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--bakend").doesNotContain("uri-secret-2");
    }

    @Test
    void anUnreachableBackendExitsWith69AndAClearMessageWithoutSecrets() throws IOException {
        int port = closedPort();
        assertThat(run("status", "--backend", "redis://:uri-secret-3@127.0.0.1:" + port, "--backend-timeout", "2s", "key"))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(firstErrLine()).startsWith("distlock: backend unavailable: ").contains("127.0.0.1");
        env.put("DISTLOCK_PASSWORD", "env-secret-3");
        env.put("DISTLOCK_BACKEND", "redis://127.0.0.1:" + port);
        assertThat(run("list", "--backend-timeout", "2s")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).doesNotContain("uri-secret-3").doesNotContain("env-secret-3");
        assertThat(err.toString().lines().count()).isEqualTo(2); // one line each
    }

    @Test
    void statusAndListOnMemExplainThatMemIsLocalAndStillAnswer() {
        assertThat(run("status", "--json", "some/key")).isZero();
        assertThat(firstErrLine()).contains("mem: is local to this one process").contains("--backend redis://");
        Map<String, Object> status = Json.parseObject(out.toString().trim());
        assertThat(status).containsEntry("backend", "mem:").containsEntry("key", "some/key")
                .containsEntry("held", false).containsEntry("holders", 0L);
        out.getBuffer().setLength(0);
        assertThat(run("list", "--json", "some/")).isZero();
        Map<String, Object> list = Json.parseObject(out.toString().trim());
        assertThat(list).containsEntry("prefix", "some/").containsEntry("count", 0L).containsEntry("truncated", false);
    }

    @Test
    void demoOnMemReportsSafetyAsJson() {
        assertThat(run("demo", "--json", "--duration", "1s")).isZero();
        Map<String, Object> report = Json.parseObject(out.toString().trim());
        assertThat(report).containsEntry("backend", "mem:").containsEntry("workers", 8L)
                .containsEntry("lostUpdates", 0L).containsEntry("staleTokens", 0L).containsEntry("ok", true)
                .containsKeys("throughputPerSec", "acquireP50Ms", "acquireP99Ms", "handoffP50Ms");
        assertThat((Long) report.get("acquisitions")).isPositive();
        assertThat(err.toString()).isEmpty(); // no progress bar off a terminal, no noise
    }

    @Test
    void demoShowsABrokenLockAndFails() {
        // The hidden switch releases each lock before the critical section: exclusion is gone.
        assertThat(run("demo", "--json", "--duration", "1s", "--unsafe-break-exclusion")).isEqualTo(ExitCodes.DEMO_UNSAFE);
        Map<String, Object> report = Json.parseObject(out.toString().trim());
        assertThat((Long) report.get("lostUpdates")).isPositive();
        assertThat(report).containsEntry("ok", false);
        assertThat(firstErrLine()).startsWith("distlock: mutual exclusion was broken: ");
    }

    @Test
    void demoInProcessesNeedsARealBackend() {
        assertThat(run("demo", "--processes", "2")).isEqualTo(ExitCodes.USAGE);
        assertThat(firstErrLine()).contains("--processes needs a real backend");
    }
}
