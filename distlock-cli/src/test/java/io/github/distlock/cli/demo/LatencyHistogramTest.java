package io.github.distlock.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndCoverEveryLong() {
        long previous = -1;
        for (int i = 0; i < 1888; i++) {
            long lower = LatencyHistogram.lowerBound(i);
            assertThat(lower).as("bucket %d", i).isGreaterThan(previous);
            assertThat(LatencyHistogram.index(lower)).isEqualTo(i);
            if (lower > 0) {
                assertThat(LatencyHistogram.index(lower - 1)).isEqualTo(i - 1);
            }
            previous = lower;
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(1887);
    }

    @Test
    void percentilesAreWithinThreePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1000); // 1 us .. 100 ms, uniform
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.percentile(50)).isCloseTo(50_000_000, within(1_500_000.0));
        assertThat((double) h.percentile(99)).isCloseTo(99_000_000, within(3_000_000.0));
        assertThat((double) h.percentile(100)).isCloseTo(100_000_000, within(3_000_000.0));
        assertThat(new LatencyHistogram().percentile(50)).isEqualTo(-1);
    }

    @Test
    void survivesTheTripThroughBucketsAndMerges() {
        Random random = new Random(42);
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 10_000; i++) {
            a.record(random.nextInt(5_000_000));
            b.record(5_000_000 + random.nextInt(5_000_000));
        }
        LatencyHistogram copy = LatencyHistogram.fromBuckets(a.buckets());
        assertThat(copy.count()).isEqualTo(a.count());
        assertThat(copy.percentile(90)).isEqualTo(a.percentile(90));
        copy.add(b);
        assertThat(copy.count()).isEqualTo(20_000);
        assertThat((double) copy.percentile(50)).isCloseTo(5_000_000, within(200_000.0));
        assertThatThrownBy(() -> LatencyHistogram.fromBuckets(List.of(new long[] {5000, 1})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
