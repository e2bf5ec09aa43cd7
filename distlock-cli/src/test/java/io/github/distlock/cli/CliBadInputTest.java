package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command-line rows of {@code docs/bad-input.md}, in-process: each bad argument exits with
 * status 2 and one line of error that names the option or parameter and the value. (Other rows:
 * {@link CliTest}.)
 */
class CliBadInputTest {

    private final Map<String, String> env = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new CliContext(env, new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    /** The first line of stderr that is not the note about {@code mem:}. */
    private String error() {
        return err.toString().lines().filter(l -> !l.startsWith("distlock: note:")).findFirst().orElse("");
    }

    @Test
    void blankKey() {
        assertThat(run("status", " ")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: key must not be blank, but was ' '");
    }

    @Test
    void keyWithAControlCharacter() {
        assertThat(run("status", "a\nb")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: key must not contain control characters, but was 'a\\u000ab'");
    }

    @Test
    void keyLongerThan512Characters() {
        assertThat(run("status", "k".repeat(513))).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).startsWith("distlock: key must be at most 512 characters, but was 513 characters: 'kkk");
    }

    @Test
    void zeroTtl() {
        assertThat(run("run", "--ttl", "0", "k", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: Invalid value for option '--ttl': must be positive, but was 0");
    }

    @Test
    void ttlLongerThanAYear() {
        assertThat(run("run", "--ttl", "400d", "k", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: ttl must be at most PT8760H (365 days), but was PT9600H");
    }

    @Test
    void ttlBelowTheBackendMinimum() {
        assertThat(run("run", "--ttl", "0.5ms", "k", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: ttl must be at least PT0.001S for backend 'mem' (TTLs are stored in"
                + " units of PT0.001S), but was PT0.0005S");
    }

    @Test
    void negativeWait() {
        assertThat(run("run", "-w", "-1s", "k", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: Invalid value for option '--wait': '-1s' is not a duration (use 500ms,"
                + " 5s, 2m, 1h or PT5S)");
    }

    @Test
    void runWithoutACommand() {
        assertThat(run("run", "k", "--")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: Missing required parameter: 'COMMAND'");
    }

    @Test
    void listLimitOutOfRange() {
        assertThat(run("list", "--limit", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: Invalid value for option '--limit': 0 is not in 1-100000");
    }

    @Test
    void unknownCommand() {
        assertThat(run("lock", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).startsWith("distlock: Unmatched arguments from index 0: 'lock', 'k'");
    }

    @Test
    void emptyBackend() {
        // Typically --backend "$UNSET": falling back to mem: would lock nothing across processes.
        assertThat(run("run", "--backend", "", "k", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: --backend must not be empty: give a URI such as redis://HOST:6379, or"
                + " leave the option out to use $DISTLOCK_BACKEND or mem:");
    }

    @Test
    void hostAndPortWithoutAScheme() {
        assertThat(run("status", "--backend", "localhost:6379", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).startsWith("distlock: uri 'localhost:6379' has no scheme: it looks like host:port; write"
                + " redis://localhost:6379 or etcd://localhost:6379 (available schemes: [");
    }

    @Test
    void misspelledRedisUriOption() {
        assertThat(run("status", "--backend", "redis://127.0.0.1:6379?timout=1s", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).startsWith("distlock: invalid Redis uri 'redis://127.0.0.1:6379?timout=1s': unknown option"
                + " 'timout'; known options: prefix, timeout,");
    }

    @Test
    void unknownEtcdStrategy() {
        assertThat(run("status", "--backend", "etcd://127.0.0.1:2379?strategy=fifo", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: etcd uri option strategy must be 'txn' or 'mutex', but was 'fifo' in"
                + " 'etcd://127.0.0.1:2379?strategy=fifo'");
    }

    @Test
    void zeroBackendTimeout() {
        assertThat(run("status", "--backend-timeout", "0", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: --backend-timeout must be positive, but was 0ms");
    }

    @Test
    void backendTimeoutLongerThanAYear() {
        assertThat(run("status", "--backend-timeout", "400d", "k")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: --backend-timeout must be at most 8760h00m, but was 9600h00m");
    }

    @Test
    void demoWithoutWorkers() {
        assertThat(run("demo", "--workers", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(error()).isEqualTo("distlock: Invalid value for option '--workers': 0 is not in 1-1024");
    }
}
