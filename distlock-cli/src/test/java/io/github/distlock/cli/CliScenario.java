package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end tests of {@code run}, {@code status} and {@code list} share: a work
 * directory, a fresh key, the jar started against {@link #backendUri()}, and small {@code sh}
 * commands that signal progress through files, which the tests wait for (never for a fixed
 * time). Every process a test started is killed after it.
 */
abstract class CliScenario {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Key prefix of this test class; {@link #key} is under it. */
    final String prefix = "it/" + getClass().getSimpleName() + "/";
    final String key = prefix + UUID.randomUUID();
    private final List<CliProcess> started = new ArrayList<>();

    /** The backend the commands use, passed as {@code DISTLOCK_BACKEND}. */
    abstract String backendUri();

    @AfterEach
    void killLeftovers() {
        started.forEach(CliProcess::kill);
    }

    CliProcess start(Map<String, String> env, String... args) {
        CliProcess p = CliProcess.start(dir, env, args);
        started.add(p);
        return p;
    }

    CliProcess start(String... args) {
        return start(Map.of("DISTLOCK_BACKEND", backendUri()), args);
    }

    CliProcess run(String... args) {
        CliProcess p = start(args);
        p.exitCode();
        return p;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    String read(String name) {
        try {
            return Files.readString(file(name), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void touch(String name) throws IOException {
        Files.writeString(file(name), "x");
    }

    void awaitFile(String name, CliProcess owner) {
        await().atMost(PATIENCE).failFast(() -> !owner.isAlive()).until(() -> Files.exists(file(name)));
    }

    /** Starts a holder of {@link #key} whose command writes {@code <tag>.token} and waits for {@code <tag>.release}. */
    CliProcess holder(String tag, String... runOptions) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(runOptions));
        args.addAll(List.of(key, "--", "sh", "-c",
                "echo $DISTLOCK_FENCING_TOKEN > " + tag + ".tmp && mv " + tag + ".tmp " + tag + ".token; "
                        + "while [ ! -f " + tag + ".release ]; do sleep 0.05; done"));
        CliProcess p = start(args.toArray(String[]::new));
        awaitFile(tag + ".token", p);
        return p;
    }

    Map<String, Object> statusJson() {
        CliProcess status = run("status", "--json", key);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return Json.parseObject(status.stdout().trim());
    }
}
