package io.github.distlock.testkit.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: {@code N} masters (3 by default) that share the 16384 hash
 * slots evenly, optionally with {@code R} replicas per master, each node a {@link RedisServer}
 * started with {@code --cluster-enabled yes}.
 *
 * <p>{@link #start()} starts every node, assigns the slots ({@code CLUSTER ADDSLOTSRANGE}), gives
 * every node its own config epoch, joins them ({@code CLUSTER MEET}), attaches the replicas
 * ({@code CLUSTER REPLICATE}) and returns once the cluster is {@linkplain #awaitHealthy(Duration)
 * healthy}. No {@code redis-cli} is needed. Each node's cluster bus port is allocated explicitly
 * ({@code --cluster-port}), so it does not depend on {@code port + 10000} being free. Requires
 * Redis 7.0 or newer.
 *
 * <p>Nodes are indexed in creation order: masters {@code 0..N-1} (master {@code i} owns the
 * {@code i}-th slot range), then the replicas, those of master {@code i} at {@code N + i*R ...
 * N + i*R + R-1}. Roles can change after a failover; {@link #masterFor(int)}, {@link #masters()}
 * and {@link #replicas()} ask the cluster for the current ones. Each node's {@code nodes.conf}
 * lives in its temp dir, so a {@linkplain RedisServer#restart() restarted} node keeps its node id
 * and slots and rejoins the cluster (with an empty dataset: there is no persistence); follow a
 * restart with {@link #awaitHealthy()}.
 *
 * <p>{@link #close()} kills every node and deletes the temp dirs. Instances are safe to use from
 * several threads.
 */
public final class RedisCluster implements AutoCloseable {

  /** Number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  /** Masters in a cluster made by {@link #start()}. */
  public static final int DEFAULT_MASTERS = 3;

  /** Default {@code cluster-node-timeout}: short, so failures are detected fast. */
  public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(2000);

  /** How long {@link #start()} and {@link #awaitHealthy()} wait by default. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final long POLL_INTERVAL_MILLIS = 50;
  private static final int LOG_LINES = 20;

  private final List<RedisServer> nodes;
  private final List<String> nodeIds;
  private final int masterCount;
  private final int replicasPerMaster;
  private final Duration nodeTimeout;
  private final Duration startupTimeout;

  private RedisCluster(List<RedisServer> nodes, List<String> nodeIds, Builder builder) {
    this.nodes = List.copyOf(nodes);
    this.nodeIds = List.copyOf(nodeIds);
    this.masterCount = builder.masters;
    this.replicasPerMaster = builder.replicasPerMaster;
    this.nodeTimeout = builder.nodeTimeout;
    this.startupTimeout = builder.startupTimeout;
  }

  /**
   * Starts a cluster of 3 masters without replicas and waits until it is healthy.
   *
   * @throws IllegalStateException if {@code redis-server} is missing or the cluster does not
   *     become healthy within {@link #DEFAULT_STARTUP_TIMEOUT} (the message says what was missing
   *     and includes the nodes' log tails)
   */
  public static RedisCluster start() {
    return builder().start();
  }

  /** Returns a builder, for the number of masters and replicas, timeouts or extra arguments. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The hash slot of {@code key} as Redis computes it: CRC16 (XMODEM) of the key's UTF-8 bytes
   * modulo 16384, where a key containing a non-empty hash tag (between the first <code>&#123;</code>
   * and the first <code>&#125;</code> after it) is hashed by the tag alone, so {@code "{user1}.a"}
   * and {@code "{user1}.b"} share a slot.
   */
  public static int slot(String key) {
    return slot(key.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #slot(String)} for a binary key. */
  public static int slot(byte[] key) {
    int start = 0;
    int end = key.length;
    for (int open = 0; open < key.length; open++) {
      if (key[open] == '{') {
        for (int close = open + 1; close < key.length; close++) {
          if (key[close] == '}') {
            if (close > open + 1) {
              start = open + 1;
              end = close;
            }
            break;
          }
        }
        break;
      }
    }
    return crc16(key, start, end) & (SLOTS - 1);
  }

  /** All nodes, in creation order (see the class comment). */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The node at {@code index} (creation order). */
  public RedisServer node(int index) {
    return nodes.get(index);
  }

  /** The number of nodes, masters and replicas. */
  public int size() {
    return nodes.size();
  }

  /** The node id of the node at {@code index}; it survives restarts. */
  public String nodeId(int index) {
    return nodeIds.get(index);
  }

  /** The {@code cluster-node-timeout} every node runs with. */
  public Duration nodeTimeout() {
    return nodeTimeout;
  }

  /** Every node's {@code redis://127.0.0.1:PORT}, in creation order. */
  public List<String> uris() {
    return nodes.stream().map(RedisServer::uri).collect(Collectors.toUnmodifiableList());
  }

  /** The first node's URI, enough for a cluster client to discover the rest. */
  public String seedUri() {
    return nodes.get(0).uri();
  }

  /**
   * The node that currently serves {@code slot} as master, according to the first running,
   * unpaused node that answers {@code CLUSTER NODES}.
   *
   * @throws IllegalStateException if no node answers or no master owns the slot
   */
  public RedisServer masterFor(int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("slot must be in [0, " + SLOTS + "): " + slot);
    }
    for (ClusterNode entry : view()) {
      if (entry.isMaster() && entry.serves(slot)) {
        return nodeWithPort(entry.port())
            .orElseThrow(() -> new IllegalStateException("unknown node " + entry));
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /** The node that currently serves {@code key}'s {@linkplain #slot(String) slot} as master. */
  public RedisServer masterForKey(String key) {
    return masterFor(slot(key));
  }

  /**
   * The nodes that are currently masters owning slots, according to the first running, unpaused
   * node that answers; in creation order.
   */
  public List<RedisServer> masters() {
    return byRole(true);
  }

  /**
   * The nodes that are currently replicas, according to the first running, unpaused node that
   * answers; in creation order.
   */
  public List<RedisServer> replicas() {
    return byRole(false);
  }

  /**
   * Waits up to the startup timeout until the cluster is healthy; see {@link
   * #awaitHealthy(Duration)}.
   */
  public void awaitHealthy() {
    awaitHealthy(startupTimeout);
  }

  /**
   * Waits until every running, unpaused node reports {@code cluster_state:ok} with all 16384 slots
   * assigned and ok, knows every node, sees every other running, unpaused node as connected and not
   * failing, and, if it is a replica, has {@code master_link_status:up}. Use it after start,
   * restart or failover of a node. Killed or paused nodes are not asked (a cluster whose slots
   * were all taken over by replicas is healthy even with a master down).
   *
   * @throws IllegalStateException after {@code timeout}; the message says what was still wrong and
   *     includes the nodes' log tails
   */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String problem;
    while ((problem = healthProblem()) != null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Redis Cluster not healthy after " + timeout.toMillis() + " ms: " + problem
                + describeNodes());
      }
      pause();
    }
  }

  /**
   * Kills every node (resuming paused ones first) and deletes their temp dirs. Safe to call more
   * than once.
   */
  @Override
  public void close() {
    closeAll(nodes);
  }

  @Override
  public String toString() {
    return "RedisCluster[" + masterCount + " masters x " + replicasPerMaster + " replicas, "
        + uris() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private List<RedisServer> byRole(boolean masters) {
    List<RedisServer> result = new ArrayList<>();
    List<ClusterNode> view = view();
    for (RedisServer node : nodes) {
      for (ClusterNode entry : view) {
        if (entry.port() == node.port()
            && (masters ? entry.isMaster() && !entry.slots().isEmpty() : entry.isReplica())) {
          result.add(node);
        }
      }
    }
    return List.copyOf(result);
  }

  /** {@code CLUSTER NODES} of the first available node that answers. */
  private List<ClusterNode> view() {
    RuntimeException last = null;
    for (RedisServer node : nodes) {
      if (!available(node)) {
        continue;
      }
      try {
        return ClusterNode.parseAll(node.command("CLUSTER", "NODES"));
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no node of " + this + " answers CLUSTER NODES", last);
  }

  /** Null when healthy, else a description of the first problem found. */
  private String healthProblem() {
    try {
      for (RedisServer node : nodes) {
        if (!available(node)) {
          continue;
        }
        Map<String, String> info = infoFields(node.command("CLUSTER", "INFO"));
        if (!"ok".equals(info.get("cluster_state"))
            || !Integer.toString(SLOTS).equals(info.get("cluster_slots_assigned"))
            || !Integer.toString(SLOTS).equals(info.get("cluster_slots_ok"))
            || !Integer.toString(nodes.size()).equals(info.get("cluster_known_nodes"))) {
          return node.uri() + " says cluster_state=" + info.get("cluster_state")
              + " slots_assigned=" + info.get("cluster_slots_assigned")
              + " slots_ok=" + info.get("cluster_slots_ok")
              + " known_nodes=" + info.get("cluster_known_nodes") + " (of " + nodes.size() + ")";
        }
        boolean replica = false;
        for (ClusterNode entry : ClusterNode.parseAll(node.command("CLUSTER", "NODES"))) {
          if (entry.flags().contains("myself")) {
            replica = entry.isReplica();
            continue;
          }
          Optional<RedisServer> other = nodeWithPort(entry.port());
          if (other.isPresent() && available(other.get()) && !entry.healthy()) {
            return node.uri() + " sees " + other.get().uri() + " as " + entry.flags() + " "
                + entry.linkState();
          }
        }
        if (replica) {
          Map<String, String> replication = infoFields(node.command("INFO", "replication"));
          if (!"up".equals(replication.get("master_link_status"))) {
            return "replica " + node.uri() + " has master_link_status="
                + replication.get("master_link_status");
          }
        }
      }
      return null;
    } catch (RuntimeException e) {
      return "a check failed: " + e;
    }
  }

  private Optional<RedisServer> nodeWithPort(int port) {
    return nodes.stream().filter(n -> n.port() == port).findFirst();
  }

  private String describeNodes() {
    StringBuilder text = new StringBuilder();
    for (RedisServer node : nodes) {
      text.append(System.lineSeparator()).append("--- ").append(node.uri())
          .append(node.isRunning() ? (node.isPaused() ? " (paused)" : "") : " (not running)")
          .append(", last ").append(LOG_LINES).append(" log lines ---")
          .append(System.lineSeparator()).append(node.logTail(LOG_LINES));
    }
    return text.toString();
  }

  private static boolean available(RedisServer node) {
    return node.isRunning() && !node.isPaused();
  }

  /** Parses {@code key:value} lines of an INFO-style reply. */
  static Map<String, String> infoFields(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
    }
  }

  private static void closeAll(List<RedisServer> servers) {
    RuntimeException failure = null;
    for (RedisServer server : servers) {
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

  private static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }

  /** One line of {@code CLUSTER NODES}. */
  record ClusterNode(
      String id,
      int port,
      List<String> flags,
      String masterId,
      String linkState,
      List<int[]> slots) {

    static List<ClusterNode> parseAll(String clusterNodes) {
      List<ClusterNode> entries = new ArrayList<>();
      for (String line : clusterNodes.split("\r?\n")) {
        if (!line.isBlank()) {
          entries.add(parse(line));
        }
      }
      return entries;
    }

    /** {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...} */
    static ClusterNode parse(String line) {
      String[] f = line.strip().split(" ");
      if (f.length < 8) {
        throw new IllegalArgumentException("not a CLUSTER NODES line: " + line);
      }
      String address = f[1];
      int at = address.indexOf('@');
      String hostPort = at < 0 ? address : address.substring(0, at);
      int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being imported or migrated
        }
        int dash = f[i].indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(f[i].substring(dash + 1));
        slots.add(new int[] {lo, hi});
      }
      return new ClusterNode(
          f[0], port, List.of(f[2].split(",")), f[3], f[7], List.copyOf(slots));
    }

    boolean isMaster() {
      return flags.contains("master");
    }

    boolean isReplica() {
      return flags.contains("slave");
    }

    boolean serves(int slot) {
      return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
    }

    boolean healthy() {
      return "connected".equals(linkState)
          && !flags.contains("fail")
          && !flags.contains("fail?")
          && !flags.contains("handshake")
          && !flags.contains("noaddr");
    }
  }

  /** Configures a {@link RedisCluster} before starting it. */
  public static final class Builder {

    private int masters = DEFAULT_MASTERS;
    private int replicasPerMaster;
    private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private final List<String> extraArgs = new ArrayList<>();

    private Builder() {}

    /** Number of masters, at least 1 (3 by default; Redis needs 3 to detect a failed master). */
    public Builder masters(int count) {
      if (count < 1 || count > SLOTS) {
        throw new IllegalArgumentException("masters must be in [1, " + SLOTS + "]: " + count);
      }
      this.masters = count;
      return this;
    }

    /** Replicas per master, 0 (the default) or more. */
    public Builder replicasPerMaster(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("replicasPerMaster must be >= 0: " + count);
      }
      this.replicasPerMaster = count;
      return this;
    }

    /**
     * {@code cluster-node-timeout}: how long a node may be unreachable before it counts as failing
     * (and a replica may take over); default {@link #DEFAULT_NODE_TIMEOUT}.
     */
    public Builder nodeTimeout(Duration timeout) {
      this.nodeTimeout = positive(timeout, "nodeTimeout");
      return this;
    }

    /**
     * How long start (and {@link RedisCluster#awaitHealthy()}) wait; default {@link
     * #DEFAULT_STARTUP_TIMEOUT}.
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = positive(timeout, "startupTimeout");
      return this;
    }

    /** Extra {@code redis-server} arguments for every node, after the cluster options. */
    public Builder arg(String... args) {
      for (String a : args) {
        extraArgs.add(Objects.requireNonNull(a, "arg"));
      }
      return this;
    }

    /**
     * Starts the nodes, forms the cluster and waits until it is healthy; on failure nothing is left
     * behind.
     *
     * @throws IllegalStateException if {@code redis-server} is missing or the cluster does not
     *     become healthy in time
     */
    public RedisCluster start() {
      int total = masters * (1 + replicasPerMaster);
      List<RedisServer> started = new ArrayList<>(total);
      try {
        int[] busPorts = FreePorts.allocate(total);
        for (int i = 0; i < total; i++) {
          started.add(
              RedisServer.builder()
                  .startupTimeout(startupTimeout)
                  .arg(
                      "--cluster-enabled", "yes",
                      "--cluster-config-file", "nodes.conf",
                      "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                      "--cluster-port", Integer.toString(busPorts[i]),
                      // Let a replica take over however long its link was down (tests pause nodes).
                      "--cluster-replica-validity-factor", "0",
                      // No 5 s wait for more replicas before a full sync (the default delay).
                      "--repl-diskless-sync-delay", "0")
                  .args(extraArgs)
                  .start());
        }
        List<String> ids = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
          RedisServer node = started.get(i);
          ids.add(node.command("CLUSTER", "MYID"));
          // Distinct epochs up front, as redis-cli does, so no epoch collision has to be resolved.
          node.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
          if (i < masters) {
            node.command(
                "CLUSTER", "ADDSLOTSRANGE",
                Integer.toString(i * SLOTS / masters),
                Integer.toString((i + 1) * SLOTS / masters - 1));
          }
        }
        for (int i = 1; i < total; i++) {
          started.get(0).command(
              "CLUSTER", "MEET", "127.0.0.1",
              Integer.toString(started.get(i).port()), Integer.toString(busPorts[i]));
        }
        RedisCluster cluster = new RedisCluster(started, ids, this);
        if (replicasPerMaster > 0) {
          cluster.awaitEveryoneKnowsEveryone();
          for (int m = 0; m < masters; m++) {
            for (int r = 0; r < replicasPerMaster; r++) {
              started.get(masters + m * replicasPerMaster + r)
                  .command("CLUSTER", "REPLICATE", ids.get(m));
            }
          }
        }
        cluster.awaitHealthy(startupTimeout);
        return cluster;
      } catch (RuntimeException e) {
        try {
          closeAll(started);
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

  /** Waits until every node knows every other one as a master (needed before REPLICATE). */
  private void awaitEveryoneKnowsEveryone() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      String problem = null;
      try {
        for (RedisServer node : nodes) {
          List<ClusterNode> view = ClusterNode.parseAll(node.command("CLUSTER", "NODES"));
          long known = view.stream().filter(ClusterNode::healthy).count();
          if (known < nodes.size()) {
            problem = node.uri() + " knows " + known + " of " + nodes.size() + " nodes";
            break;
          }
        }
      } catch (RuntimeException e) {
        problem = "a check failed: " + e;
      }
      if (problem == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Redis Cluster nodes did not meet within " + startupTimeout.toMillis() + " ms: "
                + problem + describeNodes());
      }
      pause();
    }
  }
}
