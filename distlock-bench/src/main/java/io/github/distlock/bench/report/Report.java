package io.github.distlock.bench.report;

import io.github.distlock.bench.Row;
import io.github.distlock.bench.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a run's rows into the three result files: {@code NAME.json} (the rows), {@code NAME.md}
 * (tables with the ratios, the held-locks table, SPEC §4's targets, the machine and the systems)
 * and {@code NAME.png} (cycles/s by scenario and system, see {@link Chart}).
 */
public final class Report {

    private final List<Row> rows;
    private final Map<String, String> header;
    private final Map<String, String> systems;

    /**
     * Creates a report and fills in every row's ratios.
     *
     * @param rows the measured rows, in run order
     * @param header run facts for the markdown header (mode, machine, servers, load), in order
     * @param systems system id to what it measures
     */
    public Report(List<Row> rows, Map<String, String> header, Map<String, String> systems) {
        this.rows = List.copyOf(rows);
        this.header = new LinkedHashMap<>(header);
        this.systems = new LinkedHashMap<>(systems);
        computeRatios(this.rows);
    }

    /**
     * Fills in the ratios: each distlock row's cycles/s over each peer's and ceiling's of the same
     * backend, scenario and thread count. Held-locks rows get none (their cycles/s is an
     * acquisition rate; compare round trips instead), nor do peers and references.
     *
     * @param rows the rows
     */
    public static void computeRatios(List<Row> rows) {
        for (Row row : rows) {
            if (!row.role().equals("distlock") || row.scenario() == Scenario.HELD_LOCKS) {
                continue;
            }
            for (Row peer : rows) {
                if ((peer.role().equals("peer") || peer.role().equals("ceiling"))
                        && peer.backend().equals(row.backend()) && peer.scenario() == row.scenario()
                        && peer.threads() == row.threads() && peer.cyclesPerSec() > 0) {
                    row.ratios().put(peer.system(), row.cyclesPerSec() / peer.cyclesPerSec());
                }
            }
        }
    }

    /** @return the rows, ratios filled in */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Writes {@code dir/name.json}, {@code dir/name.md} and {@code dir/name.png}.
     *
     * @param dir the output directory, created if missing
     * @param name the base name
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public List<Path> write(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(name + ".json");
        Path md = dir.resolve(name + ".md");
        Path png = dir.resolve(name + ".png");
        Files.writeString(json, json(), StandardCharsets.UTF_8);
        Files.writeString(md, markdown(name + ".png"), StandardCharsets.UTF_8);
        Chart.write(rows, png);
        return List.of(json, md, png);
    }

    /** @return the rows as a JSON array */
    public String json() {
        return Json.write(rows.stream().map(Row::toMap).toList());
    }

    /**
     * Renders the markdown report.
     *
     * @param chartFile the chart's file name, linked from the report
     * @return the markdown
     */
    public String markdown(String chartFile) {
        StringBuilder b = new StringBuilder();
        b.append("# distlock benchmark\n\n");
        header.forEach((k, v) -> b.append("- **").append(k).append(":** ").append(v).append('\n'));
        b.append('\n');
        b.append("Cycles are lock + unlock. Latencies are per cycle, except for the hot key, where they are ")
                .append("the hand-off latency (the holder's release call to the next holder's acquire returning) ")
                .append("and cycles/s counts hand-offs. Ratios are this row's cycles/s over the peer's, ")
                .append("in the same run on the same servers. CPU per cycle is CPU time over the measured window ")
                .append("divided by its cycles: client = the whole benchmark JVM (for Curator it includes the ")
                .append("in-process ZooKeeper), server = the redis-server or etcd process; on a shared machine ")
                .append("they are steadier than wall-clock rates.\n\n");
        List<Row> throughput = rows.stream().filter(r -> r.scenario() != Scenario.HELD_LOCKS).toList();
        if (!throughput.isEmpty()) {
            b.append("## Throughput and latency\n\n");
            b.append("| Scenario | Threads | System | cycles/s | p50 µs | p99 µs | vs peers | client CPU µs/cycle | server CPU µs/cycle | errors |\n");
            b.append("|---|---:|---|---:|---:|---:|---|---:|---:|---:|\n");
            for (Row r : throughput) {
                b.append("| ").append(r.scenario().id())
                        .append(" | ").append(r.threads())
                        .append(" | ").append(r.role().equals("distlock") ? "**" + r.system() + "**" : r.system())
                        .append(" | ").append(num(r.cyclesPerSec()))
                        .append(" | ").append(num(r.p50Us()))
                        .append(" | ").append(num(r.p99Us()))
                        .append(" | ").append(ratios(r))
                        .append(" | ").append(optional(r.number("clientCpuUsPerCycle")))
                        .append(" | ").append(optional(r.number("serverCpuUsPerCycle")))
                        .append(" | ").append(errors(r))
                        .append(" |\n");
            }
            b.append('\n');
            if (!chartFile.isEmpty()) {
                b.append("![cycles/s by scenario and system](").append(chartFile).append(")\n\n");
            }
        }
        List<Row> held = rows.stream().filter(r -> r.scenario() == Scenario.HELD_LOCKS).toList();
        if (!held.isEmpty()) {
            Row first = held.get(0);
            b.append("## Held locks\n\n");
            b.append(String.format(Locale.ROOT, "%,d auto-renewed locks held; renewal interval %d ms; round trips ",
                    (long) first.number("heldLocks"), (long) first.number("renewalIntervalMs")))
                    .append("counted by the server over three intervals (Redis: commands, etcd: gRPC messages ")
                    .append("received, ZooKeeper: packets). Heap per lock: heap used after GC with every lock ")
                    .append("held, minus with the client open and none held. Client threads: live threads while ")
                    .append("holding minus before the client was opened.\n\n");
            b.append("| System | Locks | Round trips / interval | Heap bytes / lock | Client threads | Lost | Acquired/s | Acquire p99 µs | errors |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Row r : held) {
                b.append("| ").append(r.role().equals("distlock") ? "**" + r.system() + "**" : r.system())
                        .append(" | ").append(num(r.number("heldLocks")))
                        .append(" | ").append(dec(r.number("roundTripsPerInterval")))
                        .append(" | ").append(num(r.number("heapBytesPerLock")))
                        .append(" | ").append(num(r.number("clientThreads")))
                        .append(" | ").append(num(r.number("lostLocks")))
                        .append(" | ").append(num(r.cyclesPerSec()))
                        .append(" | ").append(num(r.p99Us()))
                        .append(" | ").append(errors(r))
                        .append(" |\n");
            }
            b.append('\n');
        }
        List<Targets.Check> checks = Targets.evaluate(rows);
        b.append("## SPEC §4 targets in this run\n\n");
        b.append("| Target | Measured | Verdict |\n|---|---|---|\n");
        for (Targets.Check c : checks) {
            b.append("| ").append(c.target()).append(" | ").append(c.measured()).append(" | ")
                    .append(c.verdict()).append(" |\n");
        }
        b.append('\n');
        b.append("## Systems\n\n");
        systems.forEach((id, what) -> b.append("- `").append(id).append("`: ").append(what).append('\n'));
        List<Row> failed = rows.stream().filter(r -> r.extra().containsKey("firstError")).toList();
        if (!failed.isEmpty()) {
            b.append("\n## Errors\n\n");
            for (Row r : failed) {
                b.append("- ").append(r.system()).append(' ').append(r.scenario().id()).append('/')
                        .append(r.threads()).append(": ").append(r.extra().get("firstError")).append('\n');
            }
        }
        return b.toString();
    }

    private static String ratios(Row r) {
        if (r.ratios().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        r.ratios().forEach((peer, q) -> parts.add(String.format(Locale.ROOT, "%.2fx %s", q, peer)));
        return parts.stream().collect(Collectors.joining(", "));
    }

    private static String optional(double v) {
        return Double.isNaN(v) ? "" : dec(v);
    }

    private static String errors(Row r) {
        double e = r.number("errors");
        return Double.isNaN(e) || e == 0 ? "0" : num(e);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String dec(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.1f", v);
    }
}
