package io.github.distlock.cli.demo;

import io.github.distlock.cli.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What workers measured: critical sections entered, stale tokens seen, leases found lost at
 * release, acquire and hand-off latencies, and how long they ran. Mergeable; sent from worker
 * processes to the demo as one JSON line.
 */
public final class WorkerStats {

    long acquisitions;
    long staleTokens;
    long leasesLost;
    long elapsedNanos;
    final LatencyHistogram acquire = new LatencyHistogram();
    final LatencyHistogram handoff = new LatencyHistogram();

    /** Creates empty stats. */
    public WorkerStats() {
    }

    /** @return critical sections entered */
    public long acquisitions() {
        return acquisitions;
    }

    /** @return fencing tokens that were not larger than the register's when written */
    public long staleTokens() {
        return staleTokens;
    }

    /** @return leases that were no longer held when released (lost during the critical section) */
    public long leasesLost() {
        return leasesLost;
    }

    /** @return the longest time a worker ran, in nanoseconds */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** @return time from asking for a lock to holding it */
    public LatencyHistogram acquireLatency() {
        return acquire;
    }

    /** @return time from a holder beginning its release to the next waiter holding the lock */
    public LatencyHistogram handoffLatency() {
        return handoff;
    }

    /**
     * Adds another worker's stats; the elapsed time is the longer of the two.
     *
     * @param other the other stats
     */
    public void add(WorkerStats other) {
        acquisitions += other.acquisitions;
        staleTokens += other.staleTokens;
        leasesLost += other.leasesLost;
        elapsedNanos = Math.max(elapsedNanos, other.elapsedNanos);
        acquire.add(other.acquire);
        handoff.add(other.handoff);
    }

    /**
     * Writes the stats as one JSON line.
     *
     * @return the JSON text
     */
    public String toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("acquisitions", acquisitions);
        o.put("staleTokens", staleTokens);
        o.put("leasesLost", leasesLost);
        o.put("elapsedNanos", elapsedNanos);
        o.put("acquire", pairs(acquire));
        o.put("handoff", pairs(handoff));
        return Json.write(o);
    }

    private static List<Object> pairs(LatencyHistogram h) {
        List<Object> out = new ArrayList<>();
        for (long[] p : h.buckets()) {
            out.add(p);
        }
        return out;
    }

    /**
     * Reads stats written by {@link #toJson()}.
     *
     * @param o the parsed JSON object
     * @return the stats
     * @throws IllegalArgumentException if a member is missing or malformed
     */
    public static WorkerStats fromJson(Map<String, Object> o) {
        WorkerStats s = new WorkerStats();
        s.acquisitions = number(o, "acquisitions");
        s.staleTokens = number(o, "staleTokens");
        s.leasesLost = number(o, "leasesLost");
        s.elapsedNanos = number(o, "elapsedNanos");
        s.acquire.add(histogram(o, "acquire"));
        s.handoff.add(histogram(o, "handoff"));
        return s;
    }

    private static long number(Map<String, Object> o, String name) {
        if (!(o.get(name) instanceof Number n)) {
            throw new IllegalArgumentException("worker stats lack '" + name + "'");
        }
        return n.longValue();
    }

    private static LatencyHistogram histogram(Map<String, Object> o, String name) {
        if (!(o.get(name) instanceof List<?> list)) {
            throw new IllegalArgumentException("worker stats lack '" + name + "'");
        }
        List<long[]> pairs = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof List<?> p) || p.size() != 2 || !(p.get(0) instanceof Number i) || !(p.get(1) instanceof Number c)) {
                throw new IllegalArgumentException("bad bucket in '" + name + "': " + item);
            }
            pairs.add(new long[] {i.longValue(), c.longValue()});
        }
        return LatencyHistogram.fromBuckets(pairs);
    }
}
