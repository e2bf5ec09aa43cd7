package io.github.distlock.chaos;

import io.github.distlock.testkit.server.EtcdCluster;
import io.github.distlock.testkit.server.EtcdServer;
import io.github.distlock.testkit.server.RedisCluster;
import io.github.distlock.testkit.server.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The deployments the chaos suite runs against, by name. */
final class Targets {

  /** Every target, in run order. */
  static final List<String> ALL = List.of("redis", "redis-cluster", "etcd-txn", "etcd-mutex", "etcd-cluster");

  /** etcd's smallest lease TTL follows its election timeout: 500 ms gives 1 s leases. */
  private static final Duration ETCD_ELECTION_TIMEOUT = Duration.ofMillis(500);

  private Targets() {}

  /** What target {@code name} starts, for reports. */
  static String topology(String name) {
    switch (name) {
      case "redis":
        return "one redis-server 7.0, no persistence (RDB only when a scenario SAVEs)";
      case "redis-cluster":
        return "Redis Cluster, 3 masters, no replicas, no persistence";
      case "etcd-txn":
        return "one etcd 3.4 member, strategy TXN, election timeout 500 ms";
      case "etcd-mutex":
        return "one etcd 3.4 member, strategy MUTEX, election timeout 500 ms";
      case "etcd-cluster":
        return "3 etcd 3.4 members, strategy TXN, election timeout 500 ms";
      default:
        throw new IllegalArgumentException("unknown target: " + name + " (known: " + ALL + ")");
    }
  }

  /**
   * Starts the servers of target {@code name}.
   *
   * @param name one of {@link #ALL}
   * @param key the lock key (a cluster faults the node serving it)
   */
  static ChaosTarget start(String name, String key) {
    switch (name) {
      case "redis":
        return new Redis(RedisServer.start());
      case "redis-cluster":
        return new RedisClusterTarget(RedisCluster.builder().masters(3).start(), key);
      case "etcd-txn":
        return new Etcd(name, "txn");
      case "etcd-mutex":
        return new Etcd(name, "mutex");
      case "etcd-cluster":
        return new EtcdClusterTarget(
            EtcdCluster.builder().size(3).electionTimeout(ETCD_ELECTION_TIMEOUT).start());
      default:
        throw new IllegalArgumentException("unknown target: " + name + " (known: " + ALL + ")");
    }
  }

  /** What every target reports about itself. */
  private abstract static class Described implements ChaosTarget {
    private final String name;
    private final String backend;

    Described(String name, String backend) {
      this.name = name;
      this.backend = backend;
    }

    @Override
    public final String name() {
      return name;
    }

    @Override
    public final String backend() {
      return backend;
    }
  }

  /** One redis-server without persistence. */
  private static final class Redis extends Described {
    private final RedisServer server;

    Redis(RedisServer server) {
      super("redis", "redis");
      this.server = server;
    }




    @Override
    public String uri() {
      return server.uri();
    }

    @Override
    public Optional<String> proxyableAddress() {
      return Optional.of(server.host() + ":" + server.port());
    }

    @Override
    public String uriThrough(String address) {
      return "redis://" + address;
    }

    @Override
    public void pauseServer() {
      server.pause();
    }

    @Override
    public void resumeServer() {
      server.resume();
    }

    @Override
    public void restartServer() {
      server.restart();
    }

    @Override
    public boolean canRollBack() {
      return true;
    }

    @Override
    public void snapshot() {
      server.command("SAVE");
    }

    @Override
    public void restartFromSnapshot() {
      // no save points are configured, so shutting down does not save: the restart loads the
      // older dump.rdb that SAVE wrote
      server.restart();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** A 3-master Redis Cluster without replicas; faults hit the master of the lock key's slot. */
  private static final class RedisClusterTarget extends Described {
    private final RedisCluster cluster;
    private final String key;

    RedisClusterTarget(RedisCluster cluster, String key) {
      super("redis-cluster", "redis");
      this.cluster = cluster;
      this.key = key;
    }

    private RedisServer master() {
      // distlock stores a lock under lock:{key}: the hash tag is the key itself
      return cluster.masterForKey("{" + key + "}");
    }




    @Override
    public String uri() {
      return "redis-cluster://"
          + cluster.masters().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    }

    @Override
    public Optional<String> proxyableAddress() {
      return Optional.empty();
    }

    @Override
    public String uriThrough(String address) {
      throw new UnsupportedOperationException("cluster clients follow the cluster's own addresses");
    }

    @Override
    public void pauseServer() {
      master().pause();
    }

    @Override
    public void resumeServer() {
      master().resume();
    }

    @Override
    public void restartServer() {
      // the node keeps its slots (nodes.conf) but loses its data: no persistence
      master().restart();
      cluster.awaitHealthy();
    }

    @Override
    public boolean canRollBack() {
      return true;
    }

    @Override
    public void snapshot() {
      master().command("SAVE");
    }

    @Override
    public void restartFromSnapshot() {
      master().restart();
      cluster.awaitHealthy();
    }

    @Override
    public void close() {
      cluster.close();
    }
  }

  /** One etcd member (data kept across restarts), with one of the two lock strategies. */
  private static final class Etcd extends Described {
    private final String strategy;
    private final EtcdServer server;

    Etcd(String name, String strategy) {
      super(name, "etcd");
      this.strategy = strategy;
      this.server = EtcdServer.builder().electionTimeout(ETCD_ELECTION_TIMEOUT).start();
    }




    @Override
    public String uri() {
      return uriThrough(server.host() + ":" + server.clientPort());
    }

    @Override
    public Optional<String> proxyableAddress() {
      return Optional.of(server.host() + ":" + server.clientPort());
    }

    @Override
    public String uriThrough(String address) {
      return "etcd://" + address + "?strategy=" + strategy;
    }

    @Override
    public void pauseServer() {
      server.pause();
    }

    @Override
    public void resumeServer() {
      server.resume();
    }

    @Override
    public void restartServer() {
      server.restart();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** A 3-member etcd cluster (TXN strategy); faults hit the leader. */
  private static final class EtcdClusterTarget extends Described {
    private final EtcdCluster cluster;
    private int paused = -1;

    EtcdClusterTarget(EtcdCluster cluster) {
      super("etcd-cluster", "etcd");
      this.cluster = cluster;
    }




    @Override
    public String uri() {
      return "etcd://"
          + cluster.nodes().stream().map(n -> n.host() + ":" + n.clientPort()).collect(Collectors.joining(","))
          + "?strategy=txn";
    }

    @Override
    public Optional<String> proxyableAddress() {
      return Optional.empty();
    }

    @Override
    public String uriThrough(String address) {
      throw new UnsupportedOperationException("one proxy per member is not built");
    }

    @Override
    public void pauseServer() {
      paused = cluster.awaitLeader(Duration.ofSeconds(30));
      cluster.pause(paused);
    }

    @Override
    public void resumeServer() {
      cluster.resume(paused);
      cluster.awaitLeader(Duration.ofSeconds(30));
    }

    @Override
    public void restartServer() {
      cluster.restart(cluster.awaitLeader(Duration.ofSeconds(30)));
      cluster.awaitLeader(Duration.ofSeconds(30));
    }

    @Override
    public boolean hasLeader() {
      return true;
    }

    @Override
    public Runnable killLeader() {
      cluster.awaitLeader(Duration.ofSeconds(30));
      int killed = cluster.killLeader();
      cluster.awaitLeader(Duration.ofSeconds(30));
      return () -> {
        cluster.restart(killed);
        cluster.awaitLeader(Duration.ofSeconds(30));
      };
    }

    @Override
    public void close() {
      cluster.close();
    }
  }
}
