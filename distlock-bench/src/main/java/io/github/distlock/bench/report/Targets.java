package io.github.distlock.bench.report;

import io.github.distlock.bench.Row;
import io.github.distlock.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks SPEC §4's targets against one run's rows. Every target is a ratio (or a bound) within
 * the run, so the verdicts hold for this machine and moment only; a noisy machine moves them.
 */
public final class Targets {

    private Targets() {
    }

    /**
     * One target's outcome.
     *
     * @param target what SPEC §4 asks
     * @param measured what this run measured
     * @param verdict {@code met}, {@code MISSED} or {@code not measured}
     */
    public record Check(String target, String measured, String verdict) {
    }

    /**
     * Evaluates every target that applies to the rows.
     *
     * @param rows the run's rows, ratios filled in
     * @return the checks, Redis first, then etcd, then held locks
     */
    public static List<Check> evaluate(List<Row> rows) {
        List<Check> checks = new ArrayList<>();
        String redis = "distlock-redis";
        ratio(checks, rows, redis, "redisson", Scenario.RANDOM_KEYS, 8, 2.0, "Redis: at least 2x Redisson, random keys, 8 threads");
        ratio(checks, rows, redis, "redisson", Scenario.RANDOM_KEYS, 64, 3.0, "Redis: at least 3x Redisson, random keys, 64 threads");
        for (int t : new int[] {1, 8, 64}) {
            ratio(checks, rows, redis, "lettuce-raw", Scenario.RANDOM_KEYS, t, 0.85,
                    "Redis: at least 85% of the raw Lettuce ceiling, " + t + " thread" + (t == 1 ? "" : "s"));
        }
        Optional<Row> r64 = find(rows, redis, Scenario.RANDOM_KEYS, 64);
        checks.add(r64.map(r -> new Check("Redis: p99 under 5 ms at 64 threads", fmt(r.p99Us() / 1000.0) + " ms",
                r.p99Us() < 5000 ? "met" : "MISSED"))
                .orElse(new Check("Redis: p99 under 5 ms at 64 threads", "-", "not measured")));
        ratio(checks, rows, redis, "redisson", Scenario.HOT_KEY, 8, 2.0, "Redis: hot-key hand-off at least 2x Redisson");
        Optional<Row> r8 = find(rows, redis, Scenario.RANDOM_KEYS, 8);
        String flat = "Redis: throughput does not fall from 8 to 64 threads";
        if (r8.isPresent() && r64.isPresent()) {
            double q = r64.get().cyclesPerSec() / r8.get().cyclesPerSec();
            checks.add(new Check(flat, "64 threads = " + fmt(q) + "x 8 threads", q >= 1.0 ? "met" : "MISSED"));
        } else {
            checks.add(new Check(flat, "-", "not measured"));
        }

        List<String> etcdSystems = rows.stream()
                .filter(r -> r.role().equals("distlock") && r.backend().equals("etcd"))
                .map(Row::system).distinct().toList();
        if (etcdSystems.isEmpty()) {
            checks.add(new Check("etcd: watchdog locks >= 90% of raw jetcd and >= jetcd Lock; explicit TTL >= 2x lease per lock",
                    "no distlock-etcd system in this run", "not measured"));
        }
        for (String system : etcdSystems) {
            boolean explicitTtl = system.endsWith("-ttl");
            for (int t : new int[] {1, 8, 64}) {
                if (explicitTtl) {
                    ratio(checks, rows, system, "jetcd-lease-per-lock", Scenario.RANDOM_KEYS, t, 2.0,
                            "etcd: " + system + " at least 2x lease per lock, " + t + " threads");
                } else {
                    ratio(checks, rows, system, "jetcd-raw", Scenario.RANDOM_KEYS, t, 0.9,
                            "etcd: " + system + " at least 90% of raw jetcd, " + t + " threads");
                    ratio(checks, rows, system, "jetcd-lock", Scenario.RANDOM_KEYS, t, 1.0,
                            "etcd: " + system + " no slower than jetcd Lock, " + t + " threads");
                }
            }
        }

        List<Row> held = rows.stream()
                .filter(r -> r.role().equals("distlock") && r.scenario() == Scenario.HELD_LOCKS).toList();
        if (held.isEmpty()) {
            checks.add(new Check("Held locks: <= 100 round trips per interval, no thread per lock, < 1 KiB per lock",
                    "-", "not measured"));
        }
        for (Row r : held) {
            String n = String.format(Locale.ROOT, "%,d", (long) r.number("heldLocks"));
            double rt = r.number("roundTripsPerInterval");
            checks.add(new Check(r.system() + ": " + n + " held locks renewed in at most 100 round trips per interval",
                    fmt(rt), rt <= 100 ? "met" : "MISSED"));
            double threads = r.number("clientThreads");
            double locks = r.number("heldLocks");
            // A fixed pool (I/O event loops, a scheduler) is fine; what must not happen is threads
            // growing with the locks. Allow max(32, locks / 100).
            double allowed = Math.max(32, locks / 100);
            checks.add(new Check(r.system() + ": no thread per lock (client threads below max(32, locks/100) = "
                    + fmt(allowed) + ")", fmt(threads) + " client threads", threads < allowed ? "met" : "MISSED"));
            double heap = r.number("heapBytesPerLock");
            checks.add(new Check(r.system() + ": under 1 KiB heap per held lock", fmt(heap) + " bytes",
                    heap < 1024 ? "met" : "MISSED"));
        }
        return checks;
    }

    private static void ratio(List<Check> checks, List<Row> rows, String system, String peer, Scenario scenario,
            int threads, double atLeast, String target) {
        Optional<Row> row = find(rows, system, scenario, threads);
        Double q = row.map(r -> r.ratios().get(peer)).orElse(null);
        if (q == null || q.isNaN()) {
            checks.add(new Check(target, "-", "not measured"));
        } else {
            checks.add(new Check(target, fmt(q) + "x", q >= atLeast ? "met" : "MISSED"));
        }
    }

    private static Optional<Row> find(List<Row> rows, String system, Scenario scenario, int threads) {
        return rows.stream()
                .filter(r -> r.system().equals(system) && r.scenario() == scenario && r.threads() == threads)
                .findFirst();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
