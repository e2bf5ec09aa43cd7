package io.github.distlock.bench.servers;

import io.github.distlock.testkit.server.EtcdServer;
import io.github.distlock.testkit.server.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The servers of one benchmark run, each started on first use on free loopback ports and shared
 * by every system of its kind, so that peers are measured against the very same server process:
 * one {@code redis-server} and one single-node {@code etcd} (the testkit fixtures, default
 * configuration, no persistence for Redis, fsync'd WAL for etcd) and one in-process ZooKeeper
 * (curator-test {@link TestingServer}).
 *
 * <p>It also reads the servers' own request counters, which the held-locks scenario uses to count
 * renewal round trips: Redis {@code INFO commandstats}, etcd's {@code grpc_server_msg_received_total}
 * metric and ZooKeeper's {@code srvr} packet count.
 */
public final class BenchServers implements AutoCloseable {

    /** The in-process ZooKeeper's tick. */
    public static final int ZOOKEEPER_TICK_MS = 500;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");
    private static final Pattern ZK_RECEIVED = Pattern.compile("Received:\\s*(\\d+)");
    private static final Pattern GRPC_RECEIVED =
            Pattern.compile("(?m)^grpc_server_msg_received_total\\{[^}]*}\\s+([0-9.eE+]+)$");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(HTTP_TIMEOUT).build();
    private RedisServer redis;
    private EtcdServer etcd;
    private TestingServer zookeeper;

    /** Creates the holder; no server starts until a system asks for it. */
    public BenchServers() {
    }

    /**
     * Returns the Redis server, starting it on first use.
     *
     * @return the running server
     */
    public synchronized RedisServer redis() {
        if (redis == null) {
            redis = RedisServer.start();
        }
        return redis;
    }

    /**
     * Returns the etcd member, starting it on first use.
     *
     * @return the running member
     */
    public synchronized EtcdServer etcd() {
        if (etcd == null) {
            etcd = EtcdServer.start();
        }
        return etcd;
    }

    /**
     * Returns the ZooKeeper connect string, starting the in-process server on first use.
     *
     * @return {@code 127.0.0.1:PORT}
     */
    public synchronized String zookeeper() {
        if (zookeeper == null) {
            // srvr is the four-letter command that reports the packet count; allow it explicitly.
            System.setProperty("zookeeper.4lw.commands.whitelist", "srvr,stat,mntr");
            System.setProperty("zookeeper.admin.enableServer", "false");
            try {
                // tickTime 500 ms: the smallest session timeout is then 1 s, so the held-locks
                // scenario's 3 s session (a ping every second) is granted as asked.
                InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, ZOOKEEPER_TICK_MS, 0,
                        Map.of("4lw.commands.whitelist", "srvr,stat,mntr"));
                zookeeper = new TestingServer(spec, true);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the in-process ZooKeeper", e);
            }
        }
        return "127.0.0.1:" + zookeeper.getPort();
    }

    /**
     * Clears state a previous run left, outside any measured window: {@code FLUSHALL} on Redis,
     * and compaction of etcd's history (released locks leave revisions behind).
     */
    public synchronized void resetBetweenRuns() {
        if (redis != null) {
            redis.command("FLUSHALL");
        }
        if (etcd != null) {
            compactEtcd();
        }
    }

    private void compactEtcd() {
        String range = post(etcd.endpoint() + "/v3/kv/range", "{\"key\":\"AA==\"}");
        Matcher m = REVISION.matcher(range);
        if (!m.find()) {
            throw new IllegalStateException("etcd range answered without a revision: " + range);
        }
        long revision = Long.parseLong(m.group(1));
        if (revision > 1) {
            try {
                post(etcd.endpoint() + "/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("compacted")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts counting the round trips clients make to a server, for the held-locks scenario's
     * renewal count. Redis: client commands seen by {@code MONITOR} (commands run by scripts are
     * not round trips and are skipped; {@code INFO commandstats} would count them); etcd: gRPC
     * messages received ({@code grpc_server_msg_received_total}: a unary call is one message, a
     * keep-alive on a stream one per renewal); ZooKeeper: packets received ({@code srvr}),
     * session pings included.
     *
     * @param backend {@code redis}, {@code etcd} or {@code zookeeper}
     * @return the running counter; close it
     */
    public RoundTrips countRoundTrips(String backend) {
        return switch (backend) {
            case "redis" -> {
                RedisServer r = redis();
                RedisMonitor monitor = RedisMonitor.start(r.host(), r.port());
                yield new RoundTrips() {
                    @Override
                    public long count() {
                        return monitor.commands();
                    }

                    @Override
                    public Map<String, Long> byCommand() {
                        return monitor.byName();
                    }

                    @Override
                    public void close() {
                        monitor.close();
                    }
                };
            }
            case "etcd", "zookeeper" -> {
                long start = requestCount(backend);
                yield new RoundTrips() {
                    @Override
                    public long count() {
                        return requestCount(backend) - start;
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
    }

    /**
     * Counts the requests an etcd or ZooKeeper server has received so far (see
     * {@link #countRoundTrips(String)}; Redis has no such counter that leaves out the commands
     * scripts run).
     *
     * @param backend {@code etcd} or {@code zookeeper}
     * @return the count
     */
    public long requestCount(String backend) {
        return switch (backend) {
            case "etcd" -> etcdMessagesReceived();
            case "zookeeper" -> zookeeperPacketsReceived();
            default -> throw new IllegalArgumentException("no request counter for backend " + backend);
        };
    }

    /** A running count of client round trips; see {@link BenchServers#countRoundTrips(String)}. */
    public interface RoundTrips extends AutoCloseable {
        /** @return round trips since the counter started */
        long count();

        /** @return the round trips by command, where the server tells (Redis); else empty */
        default Map<String, Long> byCommand() {
            return Map.of();
        }

        /** Stops counting. */
        @Override
        default void close() {
        }
    }

    /**
     * Reads the CPU time (user + system) the server process has used so far, from
     * {@code /proc/PID/stat}, so that a run can report server CPU per cycle: everything the server
     * did for the cycles (network, parsing, scripts, for etcd the WAL and Raft), not only the
     * command execution time {@code INFO commandstats} reports.
     *
     * @param backend {@code redis} or {@code etcd}
     * @return the CPU time in nanoseconds, or -1 where unknown (ZooKeeper runs in this JVM; not Linux)
     */
    public long serverCpuNanos(String backend) {
        long pid = switch (backend) {
            case "redis" -> redis().pid();
            case "etcd" -> etcd().pid();
            default -> -1;
        };
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) is in parentheses and may contain spaces: split after it
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /**
     * Reads Redis {@code INFO commandstats}.
     *
     * @return per command (lower case, e.g. {@code evalsha}, {@code set}): calls and total usec
     */
    public Map<String, CommandStat> redisCommandStats() {
        String info = redis().command("INFO", "commandstats");
        Map<String, CommandStat> stats = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(colon + 1).split(",")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = field.substring(0, eq);
                String v = field.substring(eq + 1);
                if (k.equals("calls")) {
                    calls = Long.parseLong(v);
                } else if (k.equals("usec")) {
                    usec = Long.parseLong(v);
                }
            }
            stats.put(name, new CommandStat(calls, usec));
        }
        return stats;
    }

    /**
     * Reads etcd's Prometheus metrics (its client URL's {@code /metrics}), for counting the gRPC
     * calls a client makes ({@code grpc_server_started_total}, {@code grpc_server_msg_received_total}).
     *
     * @return the metrics text
     */
    public String etcdMetrics() {
        return get(etcd().endpoint() + "/metrics");
    }

    private long etcdMessagesReceived() {
        String metrics = etcdMetrics();
        Matcher m = GRPC_RECEIVED.matcher(metrics);
        double total = 0;
        boolean any = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            any = true;
        }
        if (!any) {
            throw new IllegalStateException("etcd /metrics has no grpc_server_msg_received_total");
        }
        return (long) total;
    }

    private long zookeeperPacketsReceived() {
        String srvr = zookeeperCommand("srvr");
        Matcher m = ZK_RECEIVED.matcher(srvr);
        if (!m.find()) {
            throw new IllegalStateException("ZooKeeper srvr answered without a packet count: " + srvr);
        }
        return Long.parseLong(m.group(1));
    }

    private String zookeeperCommand(String command) {
        zookeeper();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", zookeeper.getPort()), (int) HTTP_TIMEOUT.toMillis());
            socket.setSoTimeout((int) HTTP_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("ZooKeeper did not answer " + command, e);
        }
    }

    /**
     * Describes the servers started so far, for the report.
     *
     * @return kind to version, e.g. {@code redis -> 7.0.15}
     */
    public synchronized Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        if (redis != null) {
            Matcher m = Pattern.compile("redis_version:(\\S+)").matcher(redis.command("INFO", "server"));
            versions.put("redis", m.find() ? m.group(1) : "?");
        }
        if (etcd != null) {
            Matcher m = Pattern.compile("\"etcdserver\"\\s*:\\s*\"([^\"]+)\"").matcher(get(etcd.endpoint() + "/version"));
            versions.put("etcd", m.find() ? m.group(1) : "?");
        }
        if (zookeeper != null) {
            versions.put("zookeeper", org.apache.zookeeper.Version.getFullVersion().split("[ -]")[0] + " (in-process)");
        }
        return versions;
    }

    private String post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops every server that was started. */
    @Override
    public synchronized void close() {
        if (redis != null) {
            redis.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (zookeeper != null) {
            try {
                zookeeper.close();
            } catch (IOException e) {
                // the temp dir is removed with the JVM's temp files; nothing else to do
            }
        }
    }

    /**
     * One line of Redis {@code INFO commandstats}.
     *
     * @param calls how many times the command ran
     * @param usec the server CPU time spent in it, microseconds
     */
    public record CommandStat(long calls, long usec) {

        /**
         * Subtracts an earlier snapshot.
         *
         * @param earlier the earlier stat (or {@code null})
         * @return the difference
         */
        public CommandStat minus(CommandStat earlier) {
            return earlier == null ? this : new CommandStat(calls - earlier.calls, usec - earlier.usec);
        }
    }
}
