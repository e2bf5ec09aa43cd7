package io.github.distlock.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's live progress line on stderr: a bar for the elapsed time, critical sections so far
 * and their rate. Drawn in place with a carriage return; only used on a terminal.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long totalNanos;
    private final boolean enabled;
    private long lastCount;
    private long lastNanos;
    private double rate;

    /**
     * Creates the bar.
     *
     * @param err standard error
     * @param totalNanos the run's planned length
     * @param enabled false to draw nothing
     */
    public ProgressBar(PrintWriter err, long totalNanos, boolean enabled) {
        this.err = err;
        this.totalNanos = totalNanos;
        this.enabled = enabled;
    }

    /**
     * Redraws the line.
     *
     * @param elapsedNanos time since the start
     * @param count critical sections so far
     */
    public void update(long elapsedNanos, long count) {
        if (!enabled) {
            return;
        }
        if (elapsedNanos > lastNanos) {
            double instant = (count - lastCount) * 1e9 / (elapsedNanos - lastNanos);
            rate = lastNanos == 0 ? instant : 0.7 * rate + 0.3 * instant;
        }
        lastCount = count;
        lastNanos = elapsedNanos;
        int filled = (int) Math.min(WIDTH, WIDTH * elapsedNanos / Math.max(1, totalNanos));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        err.printf(Locale.ROOT, "\r[%s] %4.1fs/%.1fs  %,12d acquisitions  %,10.0f/s ", bar,
                Math.min(elapsedNanos, totalNanos) / 1e9, totalNanos / 1e9, count, rate);
        err.flush();
    }

    /** Erases the line. */
    public void clear() {
        if (enabled) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
