package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A real Redis Sentinel setup on loopback: one master, one replica ({@code --replicaof}) and three
 * sentinels ({@code redis-server sentinel.conf --sentinel}) monitoring the master with quorum 2,
 * {@code down-after-milliseconds} 1000 and {@code failover-timeout} 5000 by default.
 *
 * <p>{@link #start()} returns once the replica is in sync and every sentinel knows the master, the
 * replica and the two other sentinels. Clients connect with {@link #sentinelUri()} (Lettuce's
 * {@code redis-sentinel://} form). {@link #failover()} forces a failover and waits until every
 * sentinel names the former replica as master; to test an unplanned failover, {@linkplain
 * RedisServer#kill() kill} {@link #master()} and call {@link #awaitMaster(RedisServer, Duration)}
 * with the other server.
 *
 * <p>All five processes are {@link RedisServer}s with the usual fault injection. Roles change on a
 * failover: {@link #master()} and {@link #replica()} ask a sentinel for the current ones, {@link
 * #servers()} keeps the creation order. A sentinel's config file lives in its temp dir and
 * survives its restart. Data servers have no persistence, and their command line keeps the original
 * role: a restarted server comes back with its start-up role and an empty dataset, and the
 * sentinels reconfigure it if that role is wrong. {@link #close()} kills everything and deletes the
 * temp dirs. Instances are safe to use from several threads.
 */
public final class RedisSentinelGroup implements AutoCloseable {

  /** The monitored master's name when none is given. */
  public static final String DEFAULT_MASTER_NAME = "distlock";

  /** How long {@link #start()} and {@link #failover()} wait by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final String HOST = "127.0.0.1";
  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;
  private static final long POLL_INTERVAL_MILLIS = 50;
  private static final int LOG_LINES = 20;

  private final String masterName;
  private final List<RedisServer> servers;
  private final List<RedisServer> sentinels;
  private final Duration timeout;

  private RedisSentinelGroup(
      String masterName, List<RedisServer> servers, List<RedisServer> sentinels, Duration timeout) {
    this.masterName = masterName;
    this.servers = List.copyOf(servers);
    this.sentinels = List.copyOf(sentinels);
    this.timeout = timeout;
  }

  /**
   * Starts a group with the default settings and waits until it is ready.
   *
   * @throws IllegalStateException if {@code redis-server} is missing or the group is not ready
   *     within {@link #DEFAULT_TIMEOUT} (the message says what was missing, with log tails)
   */
  public static RedisSentinelGroup start() {
    return builder().start();
  }

  /** Returns a builder, for the master name, sentinel timing or the startup timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** The name the sentinels monitor the master under. */
  public String masterName() {
    return masterName;
  }

  /**
   * The sentinels' address with the master name, as Lettuce takes it: {@code
   * redis-sentinel://127.0.0.1:S1,127.0.0.1:S2,127.0.0.1:S3#<masterName>}.
   */
  public String sentinelUri() {
    return "redis-sentinel://"
        + sentinels.stream().map(s -> HOST + ":" + s.port()).collect(Collectors.joining(","))
        + "#" + masterName;
  }

  /** The three sentinel processes. */
  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /** The sentinel at {@code index} (0 to 2). */
  public RedisServer sentinel(int index) {
    return sentinels.get(index);
  }

  /** The two data servers in creation order: the initial master, then the initial replica. */
  public List<RedisServer> servers() {
    return servers;
  }

  /**
   * The master's port according to the first running, unpaused sentinel ({@code SENTINEL
   * get-master-addr-by-name}).
   *
   * @throws IllegalStateException if no sentinel answers
   */
  public int currentMasterPort() {
    RuntimeException last = null;
    for (RedisServer sentinel : sentinels) {
      if (!available(sentinel)) {
        continue;
      }
      try {
        return masterPortSeenBy(sentinel);
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no sentinel of " + this + " answers", last);
  }

  /** The data server the sentinels currently name as master (see {@link #currentMasterPort()}). */
  public RedisServer master() {
    int port = currentMasterPort();
    return servers.stream()
        .filter(s -> s.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("sentinels name unknown master port " + port));
  }

  /** The data server that is not {@link #master()}. */
  public RedisServer replica() {
    RedisServer master = master();
    return servers.get(0) == master ? servers.get(1) : servers.get(0);
  }

  /**
   * Forces a failover ({@code SENTINEL FAILOVER}, retried while the sentinel finds no suitable
   * replica yet) and waits until every running sentinel names the former replica as master and it
   * reports {@code role:master}. Then, if the former master is running and unpaused, it sends it
   * {@code REPLICAOF <new master>}: the sentinels would do the same, but only after about ten
   * seconds (they let a returning master report its role for 8 s, and ask replicas for {@code
   * INFO} every 10 s). The former master may still take writes until then. Follow with {@link
   * #awaitHealthy()} to wait until it is in sync.
   *
   * @return the new master
   * @throws IllegalStateException if that does not happen within the group's timeout
   */
  public RedisServer failover() {
    RedisServer target = replica();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String problem;
      try {
        firstAvailableSentinel().command("SENTINEL", "FAILOVER", masterName);
        break;
      } catch (RespErrorException e) {
        if (!"NOGOODSLAVE".equals(e.code())) {
          throw e;
        }
        problem = e.getMessage();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "SENTINEL FAILOVER kept failing for " + timeout.toMillis() + " ms: " + problem
                + describe());
      }
      sleep();
    }
    awaitMaster(target, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    RedisServer former = servers.get(0) == target ? servers.get(1) : servers.get(0);
    if (available(former)) {
      former.command("REPLICAOF", HOST, Integer.toString(target.port()));
    }
    return target;
  }

  /**
   * Waits until every running, unpaused sentinel names {@code expected} as master and {@code
   * expected} reports {@code role:master}. Use it after killing or pausing the master.
   *
   * @throws IllegalStateException after {@code timeout}, with what each sentinel said and log tails
   */
  public void awaitMaster(RedisServer expected, Duration timeout) {
    await("sentinels to name " + expected.uri() + " as master", timeout, () -> {
      for (RedisServer sentinel : sentinels) {
        if (available(sentinel)) {
          int port = masterPortSeenBy(sentinel);
          if (port != expected.port()) {
            return sentinel.uri() + " names port " + port;
          }
        }
      }
      String role = infoFields(expected.command("INFO", "replication")).get("role");
      return "master".equals(role) ? null : expected.uri() + " reports role:" + role;
    });
  }

  /** Waits up to the group's timeout until it is healthy; see {@link #awaitHealthy(Duration)}. */
  public void awaitHealthy() {
    awaitHealthy(timeout);
  }

  /**
   * Waits until both data servers and all sentinels are running, every sentinel names the same
   * master, knows one replica and two other sentinels and sees the master and the replica as up,
   * the master reports {@code role:master} and the replica is in sync with it ({@code
   * master_link_status:up}). This is what {@link #start()} waits for; use it after a failover to
   * wait until the former master has become a healthy replica.
   *
   * @throws IllegalStateException after {@code timeout}, with what was still wrong and log tails
   */
  public void awaitHealthy(Duration timeout) {
    await("the sentinel group to become healthy", timeout, this::healthProblem);
  }

  /**
   * Kills the sentinels first (so they do not react), then the data servers, and deletes the temp
   * dirs. Safe to call more than once.
   */
  @Override
  public void close() {
    List<RedisServer> all = new ArrayList<>(sentinels);
    all.addAll(servers);
    closeAll(all);
  }

  @Override
  public String toString() {
    return "RedisSentinelGroup[" + sentinelUri() + ", servers "
        + servers.stream().map(RedisServer::uri).collect(Collectors.toList()) + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private String healthProblem() throws IOException {
    for (RedisServer server : servers) {
      if (!available(server)) {
        return server.uri() + " is not running (or paused)";
      }
    }
    Integer agreed = null;
    for (RedisServer sentinel : sentinels) {
      if (!available(sentinel)) {
        return "sentinel " + sentinel.uri() + " is not running (or paused)";
      }
      int port = masterPortSeenBy(sentinel);
      if (agreed != null && agreed != port) {
        return "sentinels disagree on the master port: " + agreed + " vs " + port;
      }
      agreed = port;
      Map<String, String> master = fields(sentinelReply(sentinel, "MASTER", masterName));
      if (!"master".equals(master.get("flags"))
          || !"1".equals(master.get("num-slaves"))
          || !Integer.toString(SENTINELS - 1).equals(master.get("num-other-sentinels"))) {
        return "sentinel " + sentinel.uri() + " sees master flags=" + master.get("flags")
            + " num-slaves=" + master.get("num-slaves")
            + " num-other-sentinels=" + master.get("num-other-sentinels");
      }
      for (Object replica : list(sentinelReply(sentinel, "REPLICAS", masterName))) {
        Map<String, String> r = fields(replica);
        if (!"slave".equals(r.get("flags"))) {
          return "sentinel " + sentinel.uri() + " sees replica " + r.get("name") + " as "
              + r.get("flags");
        }
      }
    }
    int masterPort = agreed;
    for (RedisServer server : servers) {
      Map<String, String> replication = infoFields(server.command("INFO", "replication"));
      if (server.port() == masterPort) {
        if (!"master".equals(replication.get("role"))) {
          return server.uri() + " is named master but reports role:" + replication.get("role");
        }
      } else if (!"slave".equals(replication.get("role"))
          || !Integer.toString(masterPort).equals(replication.get("master_port"))
          || !"up".equals(replication.get("master_link_status"))) {
        return server.uri() + " reports role:" + replication.get("role") + " master_port:"
            + replication.get("master_port") + " master_link_status:"
            + replication.get("master_link_status") + " (master is port " + masterPort + ")";
      }
    }
    return null;
  }

  private int masterPortSeenBy(RedisServer sentinel) {
    List<Object> address = list(sentinelReply(sentinel, "GET-MASTER-ADDR-BY-NAME", masterName));
    if (address == null || address.size() != 2) {
      throw new IllegalStateException(
          "sentinel " + sentinel.uri() + " does not know master " + masterName + ": " + address);
    }
    return Integer.parseInt((String) address.get(1));
  }

  private static Object sentinelReply(RedisServer sentinel, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "SENTINEL";
    System.arraycopy(args, 0, command, 1, args.length);
    try (RespConnection connection = sentinel.connect(RedisServer.COMMAND_TIMEOUT)) {
      return connection.commandReply(command);
    } catch (IOException e) {
      throw new UncheckedIOException("sentinel " + sentinel.uri() + " did not answer", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object reply) {
    if (reply != null && !(reply instanceof List)) {
      throw new IllegalStateException("expected an array reply, got " + reply);
    }
    return (List<Object>) reply;
  }

  /** A flat {@code [key, value, key, value...]} array as a map. */
  private static Map<String, String> fields(Object reply) {
    List<Object> flat = list(reply);
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return map;
  }

  private static Map<String, String> infoFields(String info) {
    return RedisCluster.infoFields(info);
  }

  private RedisServer firstAvailableSentinel() {
    return sentinels.stream()
        .filter(RedisSentinelGroup::available)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no sentinel is running and unpaused"));
  }

  private static boolean available(RedisServer server) {
    return server.isRunning() && !server.isPaused();
  }

  /** One readiness check: null when done, else what is still missing. */
  @FunctionalInterface
  private interface Check {
    String problem() throws Exception;
  }

  private void await(String what, Duration limit, Check check) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      String problem;
      try {
        problem = check.problem();
      } catch (Exception e) {
        problem = "a check failed: " + e;
      }
      if (problem == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "timed out after " + limit.toMillis() + " ms waiting for " + what + ": " + problem
                + describe());
      }
      sleep();
    }
  }

  private String describe() {
    StringBuilder text = new StringBuilder();
    List<RedisServer> all = new ArrayList<>(servers);
    all.addAll(sentinels);
    for (RedisServer server : all) {
      text.append(System.lineSeparator()).append("--- ")
          .append(server.isSentinel() ? "sentinel " : "server ").append(server.uri())
          .append(server.isRunning() ? (server.isPaused() ? " (paused)" : "") : " (not running)")
          .append(", last ").append(LOG_LINES).append(" log lines ---")
          .append(System.lineSeparator()).append(server.logTail(LOG_LINES));
    }
    return text.toString();
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_INTERVAL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the sentinel group", e);
    }
  }

  private static void closeAll(List<RedisServer> all) {
    RuntimeException failure = null;
    for (RedisServer server : all) {
      try {
        server.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Configures a {@link RedisSentinelGroup} before starting it. */
  public static final class Builder {

    private String masterName = DEFAULT_MASTER_NAME;
    private Duration downAfter = Duration.ofMillis(1000);
    private Duration failoverTimeout = Duration.ofMillis(5000);
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /** The name the sentinels monitor the master under; default {@link #DEFAULT_MASTER_NAME}. */
    public Builder masterName(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("master name must match [A-Za-z0-9._-]+: " + name);
      }
      this.masterName = name;
      return this;
    }

    /** {@code sentinel down-after-milliseconds}; default 1000 ms. */
    public Builder downAfter(Duration duration) {
      this.downAfter = positive(duration, "downAfter");
      return this;
    }

    /** {@code sentinel failover-timeout}; default 5000 ms. */
    public Builder failoverTimeout(Duration duration) {
      this.failoverTimeout = positive(duration, "failoverTimeout");
      return this;
    }

    /**
     * How long start, {@link RedisSentinelGroup#failover()} and {@link
     * RedisSentinelGroup#awaitHealthy()} wait; default {@link #DEFAULT_TIMEOUT}.
     */
    public Builder timeout(Duration duration) {
      this.timeout = positive(duration, "timeout");
      return this;
    }

    /**
     * Starts the master, the replica and the sentinels and waits until the group is healthy; on
     * failure nothing is left behind.
     *
     * @throws IllegalStateException if {@code redis-server} is missing or the group is not ready
     *     in time
     */
    public RedisSentinelGroup start() {
      List<RedisServer> servers = new ArrayList<>();
      List<RedisServer> sentinels = new ArrayList<>();
      try {
        // No 5 s wait for more replicas before a full sync (the default delay).
        RedisServer master =
            RedisServer.builder()
                .startupTimeout(timeout)
                .arg("--repl-diskless-sync-delay", "0")
                .start();
        servers.add(master);
        servers.add(
            RedisServer.builder()
                .startupTimeout(timeout)
                .arg("--repl-diskless-sync-delay", "0")
                .arg("--replicaof", HOST, Integer.toString(master.port()))
                .start());
        for (int i = 0; i < SENTINELS; i++) {
          sentinels.add(
              RedisServer.builder()
                  .sentinel()
                  .startupTimeout(timeout)
                  .config(
                      "sentinel resolve-hostnames no",
                      "sentinel monitor " + masterName + " " + HOST + " " + master.port() + " "
                          + QUORUM,
                      "sentinel down-after-milliseconds " + masterName + " "
                          + downAfter.toMillis(),
                      "sentinel failover-timeout " + masterName + " "
                          + failoverTimeout.toMillis(),
                      "sentinel parallel-syncs " + masterName + " 1")
                  .start());
        }
        RedisSentinelGroup group = new RedisSentinelGroup(masterName, servers, sentinels, timeout);
        group.awaitHealthy(timeout);
        return group;
      } catch (RuntimeException e) {
        List<RedisServer> all = new ArrayList<>(sentinels);
        all.addAll(servers);
        try {
          closeAll(all);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
