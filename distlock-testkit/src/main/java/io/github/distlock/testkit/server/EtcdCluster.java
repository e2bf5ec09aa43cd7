package io.github.distlock.testkit.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Several real {@code etcd} members (3 by default) forming one cluster on loopback, for tests of
 * what a lock does when the leader dies, a member is partitioned by a pause, or a quorum is lost.
 *
 * <p>{@link #start()} launches every member before waiting for any (none can be healthy without a
 * quorum) and returns when all are healthy. Members are {@link EtcdServer}s: {@link #node(int)}
 * gives one, with its own stop/kill/pause/resume/restart; the same operations are also here by
 * index. {@link #leaderIndex()}, {@link #awaitLeader(Duration)} and {@link #killLeader()} find and
 * fail the leader. {@link #close()} kills every member and deletes their temp dirs.
 *
 * <p>Instances are safe to use from several threads.
 */
public final class EtcdCluster implements AutoCloseable {

  /** Members in a cluster made by {@link #start()}. */
  public static final int DEFAULT_SIZE = 3;

  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(1);
  private static final long POLL_INTERVAL_MILLIS = 50;

  private final List<EtcdServer> nodes;
  private final Duration startupTimeout;

  private EtcdCluster(List<EtcdServer> nodes, Duration startupTimeout) {
    this.nodes = List.copyOf(nodes);
    this.startupTimeout = startupTimeout;
  }

  /**
   * Starts a 3-member cluster with default settings and waits until every member is healthy.
   *
   * @throws IllegalStateException if {@code etcd} is not installed or a member is not healthy in
   *     time (the message includes the tail of its log)
   */
  public static EtcdCluster start() {
    return builder().start();
  }

  /**
   * Starts a cluster of {@code size} members with default settings; see {@link #start()}.
   *
   * @param size number of members, at least 1 (use an odd number for a meaningful quorum)
   */
  public static EtcdCluster start(int size) {
    return builder().size(size).start();
  }

  /** Returns a builder, for the size, raft timing or extra {@code etcd} arguments. */
  public static Builder builder() {
    return new Builder();
  }

  /** The members, in order {@code n1, n2, ...}; index {@code i} is member {@code n(i+1)}. */
  public List<EtcdServer> nodes() {
    return nodes;
  }

  /** The member at {@code index} (0-based). */
  public EtcdServer node(int index) {
    return nodes.get(index);
  }

  /** The number of members. */
  public int size() {
    return nodes.size();
  }

  /** Every member's client URL, comma-separated, as clients and {@code etcdctl} take them. */
  public String endpoints() {
    return nodes.stream().map(EtcdServer::endpoint).collect(Collectors.joining(","));
  }

  /**
   * The client URLs of members that are running and not paused, comma-separated; use it to reach
   * the cluster while some members are down.
   *
   * @throws IllegalStateException if no member is available
   */
  public String availableEndpoints() {
    String endpoints =
        nodes.stream()
            .filter(EtcdServer::isAvailable)
            .map(EtcdServer::endpoint)
            .collect(Collectors.joining(","));
    if (endpoints.isEmpty()) {
      throw new IllegalStateException("no member of the cluster is running and unpaused");
    }
    return endpoints;
  }

  /**
   * Runs {@code etcdctl} (API v3) against the {@linkplain #availableEndpoints() available members}
   * and returns its stdout.
   *
   * @throws IllegalStateException with etcdctl's stderr if it fails or takes longer than 20 s
   */
  public String etcdctl(String... args) {
    return Etcdctl.run(availableEndpoints(), args);
  }

  /**
   * Returns the index of the current leader, if there is one that a quorum of the available
   * members agrees on: a member that claims leadership and, counting itself, a majority of the whole
   * cluster reports as leader. Empty during an election, without a quorum, or if the only member
   * claiming leadership is a stale one. Killed and paused members are not asked.
   */
  public OptionalInt findLeader() {
    return findLeader(statuses());
  }

  private OptionalInt findLeader(Map<Integer, EtcdMemberStatus> statuses) {
    int quorum = nodes.size() / 2 + 1;
    for (Map.Entry<Integer, EtcdMemberStatus> candidate : statuses.entrySet()) {
      EtcdMemberStatus status = candidate.getValue();
      if (!status.claimsLeadership()) {
        continue;
      }
      long followers =
          statuses.values().stream().filter(s -> s.leaderId().equals(status.memberId())).count();
      if (followers >= quorum) {
        return OptionalInt.of(candidate.getKey());
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Returns the index of the current leader (see {@link #findLeader()}).
   *
   * @throws IllegalStateException if there is no agreed leader right now; the message shows what
   *     each member said. To wait for one, use {@link #awaitLeader(Duration)}.
   */
  public int leaderIndex() {
    Map<Integer, EtcdMemberStatus> statuses = statuses();
    OptionalInt leader = findLeader(statuses);
    if (leader.isEmpty()) {
      throw new IllegalStateException("no leader agreed by a quorum; members said: " + statuses);
    }
    return leader.getAsInt();
  }

  /**
   * Waits until the available members agree on a leader and returns its index. Use it after killing
   * or pausing the leader to wait for the election of a new one.
   *
   * @throws IllegalStateException after {@code timeout}, with each member's status and log tail
   */
  public int awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<Integer, EtcdMemberStatus> statuses = statuses();
      OptionalInt leader = findLeader(statuses);
      if (leader.isPresent()) {
        return leader.getAsInt();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "no leader agreed by a quorum within " + timeout.toMillis() + " ms; members said: "
                + statuses + describeMembers());
      }
      try {
        Thread.sleep(POLL_INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for an etcd leader", e);
      }
    }
  }

  /**
   * Kills the leader with {@code SIGKILL} and returns its index. Waits for a leader first (up to the
   * startup timeout) so it can be called right after a start, restart or election. Follow it with
   * {@link #awaitLeader(Duration)} to wait for the successor.
   */
  public int killLeader() {
    int leader = awaitLeader(startupTimeout);
    nodes.get(leader).kill();
    return leader;
  }

  /** Stops member {@code index} gracefully; see {@link EtcdServer#stop()}. */
  public void stop(int index) {
    node(index).stop();
  }

  /** Kills member {@code index} with {@code SIGKILL}; see {@link EtcdServer#kill()}. */
  public void kill(int index) {
    node(index).kill();
  }

  /** Freezes member {@code index} with {@code SIGSTOP}; see {@link EtcdServer#pause()}. */
  public void pause(int index) {
    node(index).pause();
  }

  /** Resumes member {@code index}; see {@link EtcdServer#resume()}. */
  public void resume(int index) {
    node(index).resume();
  }

  /**
   * Restarts member {@code index} with its data and waits until it has rejoined (is healthy); see
   * {@link EtcdServer#restart()}.
   */
  public void restart(int index) {
    node(index).restart();
  }

  /** Kills every member and deletes their temp dirs. Safe to call more than once. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (EtcdServer node : nodes) {
      try {
        node.close();
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

  @Override
  public String toString() {
    return "EtcdCluster[" + endpoints() + "]";
  }

  private Map<Integer, EtcdMemberStatus> statuses() {
    Map<Integer, EtcdMemberStatus> statuses = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      EtcdServer node = nodes.get(i);
      if (!node.isAvailable()) {
        continue;
      }
      try {
        statuses.put(i, node.status(STATUS_TIMEOUT));
      } catch (IOException | RuntimeException e) {
        // not answering (e.g. just killed, or restarting); it cannot vouch for a leader
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking etcd for its status", e);
      }
    }
    return statuses;
  }

  private String describeMembers() {
    StringJoiner joiner = new StringJoiner("");
    for (EtcdServer node : nodes) {
      joiner.add(
          System.lineSeparator() + "--- " + node + (node.isRunning() ? "" : " (not running)")
              + (node.isPaused() ? " (paused)" : "") + ", last 15 log lines ---"
              + System.lineSeparator() + node.logTail(15));
    }
    return joiner.toString();
  }

  /** Configures an {@link EtcdCluster} before starting it. */
  public static final class Builder {

    private EtcdSettings settings = EtcdSettings.defaults();
    private int size = DEFAULT_SIZE;

    private Builder() {}

    /** The number of members; default 3. At least 1; odd sizes make sense for quorum tests. */
    public Builder size(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("a cluster needs at least one member: " + size);
      }
      this.size = size;
      return this;
    }

    /** The raft heartbeat interval of every member; default 100 ms (etcd's default). */
    public Builder heartbeatInterval(Duration heartbeat) {
      settings = settings.withHeartbeatInterval(heartbeat);
      return this;
    }

    /**
     * The election timeout of every member; default 1000 ms (etcd's default). It bounds how fast a
     * new leader is elected after the old one dies, and sets the minimum lease TTL.
     */
    public Builder electionTimeout(Duration election) {
      settings = settings.withElectionTimeout(election);
      return this;
    }

    /** Adds {@code etcd} arguments for every member. */
    public Builder arg(String... args) {
      settings = settings.withExtraArgs(args);
      return this;
    }

    /** How long start waits for all members, and a restart for one; default 20 s. */
    public Builder startupTimeout(Duration timeout) {
      settings = settings.withStartupTimeout(timeout);
      return this;
    }

    /**
     * Starts every member, then waits until all are healthy; on failure nothing is left behind.
     *
     * @throws IllegalStateException if {@code etcd} is missing or a member is not healthy in time
     */
    public EtcdCluster start() {
      Path binary = ServerBinaries.etcd();
      ServerBinaries.etcdctl();
      EtcdSettings checked = settings.validated();
      int[] ports = FreePorts.allocate(2 * size);
      StringJoiner initialCluster = new StringJoiner(",");
      for (int i = 0; i < size; i++) {
        initialCluster.add("n" + (i + 1) + "=http://127.0.0.1:" + ports[2 * i + 1]);
      }
      String token = "distlock-" + UUID.randomUUID();
      List<EtcdServer> members = new ArrayList<>(size);
      try {
        for (int i = 0; i < size; i++) {
          members.add(
              new EtcdServer(
                  "n" + (i + 1),
                  ports[2 * i],
                  ports[2 * i + 1],
                  initialCluster.toString(),
                  token,
                  checked,
                  binary));
        }
        for (EtcdServer member : members) {
          member.launch();
        }
        long deadline = System.nanoTime() + checked.startupTimeout().toNanos();
        for (EtcdServer member : members) {
          long remaining = Math.max(1, deadline - System.nanoTime());
          member.awaitReady(Duration.ofNanos(remaining));
        }
        return new EtcdCluster(members, checked.startupTimeout());
      } catch (RuntimeException e) {
        for (EtcdServer member : members) {
          try {
            member.close();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }
  }
}
