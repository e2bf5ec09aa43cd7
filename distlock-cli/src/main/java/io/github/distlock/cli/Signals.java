package io.github.distlock.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Takes over SIGINT, SIGTERM and SIGHUP from the JVM (which would otherwise exit at once), so
 * that {@code run} can forward them to its command and release its lock first, and sends
 * signals to other processes.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module: the JDK has no
 * supported API to handle signals.
 */
final class Signals {

    /** The signals {@code run} takes over. */
    static final List<String> HANDLED = List.of("INT", "TERM", "HUP");

    private Signals() {
    }

    /**
     * Installs a handler for {@link #HANDLED}. Where a signal cannot be handled (the JVM runs
     * with {@code -Xrs}), the JVM's default stays.
     *
     * @param handler called with the signal name and number, on a JVM signal thread
     */
    static void handle(BiConsumer<String, Integer> handler) {
        for (String name : HANDLED) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(s.getName(), s.getNumber()));
            } catch (IllegalArgumentException e) {
                // Reserved by the JVM (-Xrs): keep the default.
            }
        }
    }

    /**
     * Sends a signal to a process with {@code kill(1)}; falls back to SIGTERM through
     * {@link ProcessHandle#destroy()} when {@code kill} cannot be run.
     *
     * @param pid the process
     * @param name the signal name without {@code SIG}, for example {@code INT}
     */
    static void send(ProcessHandle pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
            kill.destroyForcibly();
        } catch (IOException e) {
            // no kill(1) on PATH: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pid.destroy();
    }
}
