package io.github.distlock.cli.demo;

import io.github.distlock.cli.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's result: what was measured and whether mutual exclusion held, as a table for
 * people or one JSON object for scripts.
 *
 * @param backend the backend URI, credentials masked
 * @param mode {@code threads} or {@code processes}
 * @param processes worker processes (0 in threads mode)
 * @param workers worker threads in all
 * @param keys lock keys contended for
 * @param stats the merged worker stats
 * @param counted the sum of the shared counters after the run
 */
public record DemoReport(String backend, String mode, int processes, int workers, int keys, WorkerStats stats, long counted) {

    /** @return increments that did not survive: acquisitions minus the counters' sum */
    public long lostUpdates() {
        return Math.max(0, stats.acquisitions() - counted);
    }

    /** @return whether no update was lost and no stale token was seen */
    public boolean ok() {
        return lostUpdates() == 0 && stats.staleTokens() == 0;
    }

    /** @return critical sections per second */
    public double throughputPerSec() {
        return stats.elapsedNanos() <= 0 ? 0 : stats.acquisitions() * 1e9 / stats.elapsedNanos();
    }

    private static Double millis(LatencyHistogram h, double percentile) {
        long nanos = h.percentile(percentile);
        return nanos < 0 ? null : Math.round(nanos / 1000.0) / 1000.0;
    }

    /**
     * Returns the result as JSON members, in a fixed order.
     *
     * @return the members
     */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("backend", backend);
        o.put("mode", mode);
        o.put("processes", processes);
        o.put("workers", workers);
        o.put("keys", keys);
        o.put("durationMs", stats.elapsedNanos() / 1_000_000);
        o.put("acquisitions", stats.acquisitions());
        o.put("throughputPerSec", Math.round(throughputPerSec() * 10) / 10.0);
        o.put("acquireP50Ms", millis(stats.acquireLatency(), 50));
        o.put("acquireP99Ms", millis(stats.acquireLatency(), 99));
        o.put("handoffP50Ms", millis(stats.handoffLatency(), 50));
        o.put("handoffs", stats.handoffLatency().count());
        o.put("lostUpdates", lostUpdates());
        o.put("staleTokens", stats.staleTokens());
        o.put("leasesLost", stats.leasesLost());
        o.put("ok", ok());
        return o;
    }

    /**
     * Prints the result as one JSON object on one line.
     *
     * @param out where to print
     */
    public void printJson(PrintWriter out) {
        out.println(Json.write(toJson()));
        out.flush();
    }

    /**
     * Prints the result as a table.
     *
     * @param out where to print
     */
    public void printTable(PrintWriter out) {
        String where = "processes".equals(mode)
                ? workers + " workers in " + processes + " processes"
                : workers + " worker threads";
        out.printf(Locale.ROOT, "%ndistlock demo: backend %s, %s, %d keys, %.1fs%n%n", backend, where, keys,
                stats.elapsedNanos() / 1e9);
        row(out, "acquisitions", String.format(Locale.ROOT, "%,d", stats.acquisitions()), "critical sections entered");
        row(out, "throughput", String.format(Locale.ROOT, "%,.0f/s", throughputPerSec()), "");
        row(out, "acquire latency p50", ms(stats.acquireLatency(), 50), "asking for a lock until holding it");
        row(out, "acquire latency p99", ms(stats.acquireLatency(), 99), "");
        row(out, "hand-off latency p50", ms(stats.handoffLatency(), 50),
                stats.handoffLatency().count() == 0 ? "no waiter was handed a lock"
                        : "a holder letting go until the next waiter holds it");
        row(out, "lost updates", String.format(Locale.ROOT, "%,d", lostUpdates()),
                lostUpdates() == 0 ? "ok: every read-modify-write of the counters survived" : "BROKEN: increments were overwritten");
        row(out, "stale fencing tokens", String.format(Locale.ROOT, "%,d", stats.staleTokens()),
                stats.staleTokens() == 0 ? "ok: each holder's token was larger than the last one written"
                        : "BROKEN: an older holder wrote after a newer one");
        out.println();
        out.println(ok()
                ? "Mutual exclusion held: no update was lost and no stale fencing token was accepted."
                : "Mutual exclusion was BROKEN.");
        out.flush();
    }

    private static String ms(LatencyHistogram h, double percentile) {
        Double v = millis(h, percentile);
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f ms", v);
    }

    private static void row(PrintWriter out, String name, String value, String note) {
        out.println(String.format(Locale.ROOT, "  %-22s %14s   %s", name, value, note).stripTrailing());
    }
}
