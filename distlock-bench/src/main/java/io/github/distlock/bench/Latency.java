package io.github.distlock.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency recording: one HdrHistogram per thread (never shared, so recording costs no
 * synchronisation), merged after the run. Values are nanoseconds, reported in microseconds.
 */
final class Latency {

    /** Longest recordable value: two minutes (longer values are clamped). */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(2);

    private Latency() {
    }

    static Histogram newHistogram() {
        return new Histogram(100, HIGHEST_NANOS, 3);
    }

    static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(100, Math.min(nanos, HIGHEST_NANOS)));
    }

    static double percentileUs(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
