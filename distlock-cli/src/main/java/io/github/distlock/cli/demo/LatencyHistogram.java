package io.github.distlock.cli.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * A log-linear histogram of latencies in nanoseconds: exact below 64 ns, then 32 buckets per
 * power of two (about 3% resolution), for 0 to {@link Long#MAX_VALUE}. Small (one
 * {@code long[]}), mergeable, and sent between processes as its non-empty buckets. Not
 * thread-safe: one per worker thread, merged at the end.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;
    private static final int BUCKETS = LINEAR + (63 - SUB_BITS - 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;

    /** Creates an empty histogram. */
    public LatencyHistogram() {
    }

    /**
     * Records one value.
     *
     * @param nanos the latency; negative values count as 0
     */
    public void record(long nanos) {
        counts[index(Math.max(0, nanos))]++;
        total++;
    }

    /** @return how many values were recorded */
    public long count() {
        return total;
    }

    /**
     * Adds another histogram's values to this one.
     *
     * @param other the other histogram
     */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /**
     * Returns the value at a percentile, as the middle of its bucket.
     *
     * @param percentile 0 to 100
     * @return the latency in nanoseconds, or -1 when the histogram is empty
     */
    public long percentile(double percentile) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return lowerBound(i) + (width(i) - 1) / 2;
            }
        }
        return lowerBound(BUCKETS - 1);
    }

    /**
     * Returns the non-empty buckets as {@code [index, count]} pairs, for sending to another process.
     *
     * @return the pairs
     */
    public List<long[]> buckets() {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                out.add(new long[] {i, counts[i]});
            }
        }
        return out;
    }

    /**
     * Rebuilds a histogram from {@link #buckets()}.
     *
     * @param pairs {@code [index, count]} pairs
     * @return the histogram
     * @throws IllegalArgumentException for an index out of range or a negative count
     */
    public static LatencyHistogram fromBuckets(List<long[]> pairs) {
        LatencyHistogram h = new LatencyHistogram();
        for (long[] p : pairs) {
            if (p.length != 2 || p[0] < 0 || p[0] >= BUCKETS || p[1] < 0) {
                throw new IllegalArgumentException("bad histogram bucket " + java.util.Arrays.toString(p));
            }
            h.counts[(int) p[0]] += p[1];
            h.total += p[1];
        }
        return h;
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - SUB_BITS;
        int mantissa = (int) (v >>> shift); // in [SUB, 2 * SUB)
        return LINEAR + (shift - 1) * SUB + (mantissa - SUB);
    }

    static long lowerBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        long mantissa = SUB + (index - LINEAR) % SUB;
        return mantissa << shift;
    }

    private static long width(int index) {
        return index < LINEAR ? 1 : 1L << ((index - LINEAR) / SUB + 1);
    }
}
