package io.github.distlock.testkit.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a JVM of its own, on this JVM's class path, and collects everything it
 * writes to stdout and stderr, within a deadline.
 */
final class ChildJvm {

    /** What the child did: its exit status and its stdout and stderr, interleaved as written. */
    record Result(int exitStatus, String output) {
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code main} and waits for it.
     *
     * @param jvmArgs JVM options, for example {@code -Dname=value}
     * @param main the class whose {@code main} to run
     * @param args its arguments
     * @param deadline how long it may run; it is killed after that
     * @return its exit status and output
     * @throws IllegalStateException if it ran past the deadline
     */
    static Result run(List<String> jvmArgs, Class<?> main, List<String> args, Duration deadline)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Path output = Files.createTempFile("distlock-child-jvm-", ".log");
        try {
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(main.getSimpleName() + " did not finish within " + deadline + "; output:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
