package io.github.distlock.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the results: one system in one scenario at one thread count. The fields issue #7
 * names ({@code system}, {@code backend}, {@code scenario}, {@code threads}, {@code cyclesPerSec},
 * {@code p50Us}, {@code p99Us}) are typed; everything else a scenario measures (hand-off latency,
 * server cost per cycle, heap per held lock, ...) is in {@link #extra()}, in insertion order.
 */
public final class Row {

    private final String system;
    private final String backend;
    private final String role;
    private final Scenario scenario;
    private final int threads;
    private final double cyclesPerSec;
    private final double p50Us;
    private final double p99Us;
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    /**
     * Creates a row.
     *
     * @param system the system id
     * @param backend its store
     * @param role distlock, peer, ceiling or reference (lower case)
     * @param scenario the scenario
     * @param threads the number of threads
     * @param cyclesPerSec measured cycles (or hand-offs, or acquisitions) per second
     * @param p50Us median latency, microseconds
     * @param p99Us 99th percentile latency, microseconds
     */
    public Row(String system, String backend, String role, Scenario scenario, int threads, double cyclesPerSec,
            double p50Us, double p99Us) {
        this.system = Objects.requireNonNull(system, "system");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.role = Objects.requireNonNull(role, "role");
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.threads = threads;
        this.cyclesPerSec = cyclesPerSec;
        this.p50Us = p50Us;
        this.p99Us = p99Us;
    }

    /** @return the system id */
    public String system() {
        return system;
    }

    /** @return the store: redis, etcd or zookeeper */
    public String backend() {
        return backend;
    }

    /** @return distlock, peer, ceiling or reference */
    public String role() {
        return role;
    }

    /** @return the scenario */
    public Scenario scenario() {
        return scenario;
    }

    /** @return the thread count */
    public int threads() {
        return threads;
    }

    /** @return cycles per second (hand-offs for the hot key, acquisitions for held locks) */
    public double cyclesPerSec() {
        return cyclesPerSec;
    }

    /** @return median latency in microseconds (hand-off latency for the hot key) */
    public double p50Us() {
        return p50Us;
    }

    /** @return 99th percentile latency in microseconds (hand-off latency for the hot key) */
    public double p99Us() {
        return p99Us;
    }

    /** @return this row's cycles/s divided by each peer's in the same scenario and thread count */
    public Map<String, Double> ratios() {
        return ratios;
    }

    /** @return further measurements, by name, in insertion order */
    public Map<String, Object> extra() {
        return extra;
    }

    /**
     * Adds a measurement.
     *
     * @param name its JSON name
     * @param value a number, string, boolean, map or list
     * @return this row
     */
    public Row put(String name, Object value) {
        extra.put(name, value);
        return this;
    }

    /**
     * Reads a numeric measurement.
     *
     * @param name its name
     * @return its value, or {@code NaN} when absent
     */
    public double number(String name) {
        Object v = extra.get(name);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** @return the fields as an ordered map, for JSON */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system", system);
        m.put("backend", backend);
        m.put("role", role);
        m.put("scenario", scenario.id());
        m.put("threads", threads);
        m.put("cyclesPerSec", round(cyclesPerSec, 1));
        m.put("p50Us", round(p50Us, 1));
        m.put("p99Us", round(p99Us, 1));
        if (!ratios.isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            ratios.forEach((k, v) -> r.put(k, round(v, 3)));
            m.put("ratios", r);
        }
        m.putAll(extra);
        return m;
    }

    static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
