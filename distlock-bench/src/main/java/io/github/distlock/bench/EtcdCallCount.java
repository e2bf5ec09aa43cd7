package io.github.distlock.bench;

import io.github.distlock.bench.servers.BenchServers;
import io.github.distlock.bench.systems.BenchSystem;
import io.github.distlock.bench.systems.LockMode;
import io.github.distlock.bench.systems.SystemCatalog;
import io.github.distlock.bench.systems.SystemConfig;
import io.github.distlock.bench.systems.SystemSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the etcd requests each etcd system makes per lock+unlock cycle: runs a fixed number of
 * sequential cycles on distinct keys against the harness's etcd and divides the growth of
 * etcd's gRPC counters by the cycle count. Per gRPC method: calls started (a stream counts once,
 * when opened) and messages received (a unary call is one message, a stream one per message),
 * and the CPU time per cycle of this JVM (the client, GC included) and of the etcd process.
 *
 * <p>Run with {@code scripts/bench --etcd-calls [CYCLES] [SYSTEM,...]}; prints a markdown table.
 */
public final class EtcdCallCount {

    private static final Pattern COUNTER = Pattern.compile(
            "^(grpc_server_started_total|grpc_server_msg_received_total)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern METHOD = Pattern.compile("grpc_method=\"([^\"]+)\"");

    /** Cycles run before counting by {@link #main}, so that the client's code is compiled (its CPU is measured). */
    private static final int WARM_UP = 3000;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private EtcdCallCount() {
    }

    /**
     * Prints the per-cycle table.
     *
     * @param args optional cycle count (default 2000) and comma-separated system ids (default: every etcd system
     *        that runs the random-keys scenario)
     * @throws Exception if a system fails
     */
    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<SystemSpec> systems = etcdSystems(args.length > 1 ? List.of(args[1].split(",")) : List.of());
        try (BenchServers servers = new BenchServers()) {
            System.out.println(table(measure(servers, systems, WARM_UP, cycles), cycles));
        }
    }

    /**
     * The etcd systems among {@code ids} (every one when empty) that run the random-keys scenario.
     *
     * @param ids system ids, as {@code --only} takes them
     * @return the systems, in catalog order
     */
    public static List<SystemSpec> etcdSystems(List<String> ids) {
        List<SystemSpec> systems = new ArrayList<>();
        for (SystemSpec s : SystemCatalog.select(ids)) {
            if (s.backend().equals("etcd") && s.supports(Scenario.RANDOM_KEYS)) {
                systems.add(s);
            }
        }
        return systems;
    }

    /**
     * Counts, per system, the etcd calls and messages and the CPU time of one lock+unlock cycle.
     * Every system runs twice, {@code warmUp} cycles and then {@code cycles} counted ones each
     * time, and the second pass is kept: the client's CPU time is then measured with every
     * system's code compiled, whichever runs first.
     *
     * @param servers the harness's servers (etcd is started on first use)
     * @param systems the systems to count
     * @param warmUp cycles run before counting, at least 0
     * @param cycles counted cycles, at least 1
     * @return per system id: {@code "<Method> calls"} and {@code "<Method> msgs"} per cycle (only those that
     *         grew), and {@code " client CPU us"} and {@code " server CPU us"}
     * @throws Exception if a system fails
     */
    public static Map<String, Map<String, Double>> measure(BenchServers servers, List<SystemSpec> systems,
            int warmUp, int cycles) throws Exception {
        if (warmUp < 0) {
            throw new IllegalArgumentException("warmUp must be at least 0, was " + warmUp);
        }
        if (cycles < 1) {
            throw new IllegalArgumentException("cycles must be at least 1, was " + cycles);
        }
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (SystemSpec spec : systems) {
                table.put(spec.id(), count(servers, spec, warmUp, cycles));
            }
        }
        return table;
    }

    /**
     * Renders {@link #measure} as a markdown table, one row per system, one column per counter.
     *
     * @param perCycle what {@link #measure} returned
     * @param cycles the counted cycles, for the header
     * @return the table, without a trailing line break
     */
    public static String table(Map<String, Map<String, Double>> perCycle, int cycles) {
        TreeSet<String> columns = new TreeSet<>();
        perCycle.values().forEach(m -> columns.addAll(m.keySet()));
        StringBuilder out = new StringBuilder("| system (per cycle, " + cycles + " cycles) |");
        columns.forEach(c -> out.append(' ').append(c).append(" |"));
        out.append("\n|---|");
        columns.forEach(c -> out.append("---|"));
        for (Map.Entry<String, Map<String, Double>> row : perCycle.entrySet()) {
            out.append("\n| ").append(row.getKey()).append(" |");
            for (String c : columns) {
                Double v = row.getValue().get(c);
                out.append(' ').append(v == null ? "0" : String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.2f", v)).append(" |");
            }
        }
        return out.toString();
    }

    private static Map<String, Double> count(BenchServers servers, SystemSpec spec, int warmUp, int cycles)
            throws Exception {
        Map<String, Double> perCycle = new TreeMap<>();
        try (BenchSystem system = spec.factory().open(servers, SystemConfig.THROUGHPUT)) {
            for (int i = 0; i < warmUp; i++) { // distinct keys, so that no cycle waits
                system.lock("warm-" + i, LockMode.EXCLUSIVE).unlock();
            }
            Map<String, Double> before = counters(servers.etcdMetrics());
            long serverCpu = servers.serverCpuNanos("etcd");
            long clientCpu = PROCESS.getProcessCpuTime();
            for (int i = 0; i < cycles; i++) {
                system.lock("count-" + i, LockMode.EXCLUSIVE).unlock();
            }
            Map<String, Double> after = counters(servers.etcdMetrics());
            perCycle.put(" client CPU us", (PROCESS.getProcessCpuTime() - clientCpu) / 1e3 / cycles);
            perCycle.put(" server CPU us", (servers.serverCpuNanos("etcd") - serverCpu) / 1e3 / cycles);
            for (Map.Entry<String, Double> e : after.entrySet()) {
                double d = (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / cycles;
                if (d >= 0.005) {
                    perCycle.put(e.getKey(), d);
                }
            }
            System.err.println(spec.id() + ": " + perCycle); // progress; the last pass is the table
        }
        servers.resetBetweenRuns();
        return perCycle;
    }

    /** Started calls ({@code Method}) and received messages ({@code Method msgs}) by gRPC method. */
    private static Map<String, Double> counters(String metrics) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = COUNTER.matcher(metrics);
        while (m.find()) {
            Matcher method = METHOD.matcher(m.group(2));
            if (!method.find()) {
                continue;
            }
            String name = method.group(1) + (m.group(1).startsWith("grpc_server_started") ? " calls" : " msgs");
            out.merge(name, Double.parseDouble(m.group(3)), Double::sum);
        }
        return out;
    }
}
