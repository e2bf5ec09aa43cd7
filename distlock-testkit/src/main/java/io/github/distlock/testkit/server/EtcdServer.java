package io.github.distlock.testkit.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A real {@code etcd} member on free loopback ports, with its data dir in its own temp dir: either a
 * single-node cluster ({@link #start()}, {@link #builder()}) or one member of an {@link
 * EtcdCluster}.
 *
 * <p>It is ready ({@code GET /health} says {@code "health":"true"}, which needs a leader) when
 * {@code start} returns. Inject faults with {@link #stop()}, {@link #kill()}, {@link
 * #pause()}/{@link #resume()} and {@link #restart()}; unlike {@link RedisServer}, data survives a
 * restart, even after {@code kill -9}, because etcd syncs its log to disk before it acknowledges a
 * write. {@link #close()} kills the process and deletes the temp dir.
 *
 * <p>Instances are safe to use from several threads.
 */
public final class EtcdServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final Pattern HEALTHY = Pattern.compile("\"health\"\\s*:\\s*\"?true\"?");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(PROBE_TIMEOUT)
          .build();

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final EtcdSettings settings;
  private final Path directory;
  private final Path logFile;
  private final List<String> commandLine;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile ServerProcess process;
  private boolean closed;

  /** Creates (but does not start) a member; {@link EtcdCluster} and the builder use this. */
  EtcdServer(
      String name,
      int clientPort,
      int peerPort,
      String initialCluster,
      String clusterToken,
      EtcdSettings settings,
      Path binary) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.settings = settings.validated();
    this.directory = TempDirs.create("distlock-etcd-" + name + "-" + clientPort + "-");
    this.logFile = directory.resolve("etcd.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(
        List.of(
            "--name", name,
            "--data-dir", directory.resolve("data").toString(),
            "--listen-client-urls", endpoint(),
            "--advertise-client-urls", endpoint(),
            "--listen-peer-urls", peerUrl(),
            "--initial-advertise-peer-urls", peerUrl(),
            "--initial-cluster", initialCluster,
            // Ignored by etcd when the data dir exists, so restarts can pass the same flags.
            "--initial-cluster-state", "new",
            "--initial-cluster-token", clusterToken,
            "--heartbeat-interval", Long.toString(settings.heartbeatInterval().toMillis()),
            "--election-timeout", Long.toString(settings.electionTimeout().toMillis()),
            "--logger", "zap",
            "--log-outputs", "stderr"));
    cmd.addAll(settings.extraArgs());
    this.commandLine = List.copyOf(cmd);
  }

  /**
   * Starts a single-node etcd with default settings and waits until {@code /health} is OK.
   *
   * @throws IllegalStateException if {@code etcd} is not installed (the message says how to install
   *     it) or it is not healthy within 20 s (the message includes the tail of its log)
   */
  public static EtcdServer start() {
    return builder().start();
  }

  /** Returns a builder, for raft timing, extra {@code etcd} arguments or a member name. */
  public static Builder builder() {
    return new Builder();
  }

  /** The member name ({@code --name}), e.g. {@code n1}. */
  public String name() {
    return name;
  }

  /** Always {@code 127.0.0.1}: etcd listens on loopback only. */
  public String host() {
    return HOST;
  }

  /** The client URL, {@code http://127.0.0.1:PORT}; fixed for the fixture's life. */
  public String endpoint() {
    return "http://" + HOST + ":" + clientPort;
  }

  /** The client port (gRPC and the HTTP JSON gateway). */
  public int clientPort() {
    return clientPort;
  }

  /** The peer (raft) port. */
  public int peerPort() {
    return peerPort;
  }

  /** The peer URL, {@code http://127.0.0.1:PEER_PORT}. */
  public String peerUrl() {
    return "http://" + HOST + ":" + peerPort;
  }

  /** The temp dir (data dir and log inside); deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** The full {@code etcd} command line, including extra builder arguments. */
  public List<String> commandLine() {
    return commandLine;
  }

  /** The configured raft heartbeat interval ({@code --heartbeat-interval}). */
  public Duration heartbeatInterval() {
    return settings.heartbeatInterval();
  }

  /** The configured election timeout ({@code --election-timeout}). */
  public Duration electionTimeout() {
    return settings.electionTimeout();
  }

  /**
   * The smallest lease TTL this member grants, derived from the raft timing as etcd does (2 s with
   * the 100 ms / 1000 ms defaults). A lease requested with a shorter TTL silently gets this one,
   * so tests of lease expiry must ask for at least this much.
   */
  public Duration minLeaseTtl() {
    return settings.minLeaseTtl();
  }

  /** The current process id; it changes on {@link #restart()}. */
  public long pid() {
    ServerProcess p = process;
    if (p == null) {
      throw new IllegalStateException(this + " was never started");
    }
    return p.pid();
  }

  /** Whether the etcd process is alive (also true while it is paused). */
  public boolean isRunning() {
    ServerProcess p = process;
    return p != null && p.isAlive();
  }

  /** Whether the member is paused by {@link #pause()}. */
  public boolean isPaused() {
    ServerProcess p = process;
    return p != null && p.isPaused();
  }

  /** Whether the member is running and not paused, i.e. can answer requests. */
  public boolean isAvailable() {
    return isRunning() && !isPaused();
  }

  /**
   * Asks {@code GET /health} and returns whether it says {@code "health":"true"} within {@code
   * timeout}. False on any error or timeout (e.g. while paused, or without a quorum).
   */
  public boolean isHealthy(Duration timeout) {
    try {
      checkHealth(timeout);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code etcdctl --endpoints=<this member> args...} (API v3) and returns its stdout. Use it
   * to put, get or inspect keys from a test, e.g. {@code etcdctl("put", "k", "v")}.
   *
   * @throws IllegalStateException with etcdctl's stderr if it fails or takes longer than 20 s
   */
  public String etcdctl(String... args) {
    return Etcdctl.run(endpoint(), args);
  }

  /** Stops the member gracefully ({@code SIGTERM}, then {@code SIGKILL} after 10 s). */
  public void stop() {
    lock.lock();
    try {
      if (process != null) {
        process.stop();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Kills the member with {@code SIGKILL}, like a crash or power loss, and waits until it is gone. */
  public void kill() {
    lock.lock();
    try {
      if (process != null) {
        process.kill();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Freezes the member with {@code SIGSTOP}: it answers neither clients nor peers, so in a cluster
   * the others elect a new leader if it led. Call {@link #resume()} to let it go on.
   *
   * @throws IllegalStateException if it is not running
   */
  public void pause() {
    lock.lock();
    try {
      ServerProcess p = process;
      if (p == null) {
        throw new IllegalStateException(this + " was never started");
      }
      p.pause();
    } finally {
      lock.unlock();
    }
  }

  /** Resumes a member frozen by {@link #pause()}; does nothing if it is not paused. */
  public void resume() {
    lock.lock();
    try {
      if (process != null) {
        process.resume();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the member if it runs (resuming it first if paused), starts it again with the same ports,
   * flags and data dir, and waits until {@code /health} is OK. Data survives. A cluster member
   * rejoins its cluster; it is healthy once it knows the leader.
   *
   * @throws IllegalStateException if it is not healthy within the startup timeout
   */
  public void restart() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(this + " is closed");
      }
      if (process != null) {
        process.stop();
      }
      launch();
      awaitReady(settings.startupTimeout());
    } finally {
      lock.unlock();
    }
  }

  /** The last {@code lines} lines of the member's log, e.g. for a failure message. */
  public String logTail(int lines) {
    return ServerProcess.logTail(logFile, lines);
  }

  /**
   * Kills the member (resuming it first if paused; nothing needs to survive) and deletes its temp
   * dir. Safe to call more than once.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (process != null) {
        process.resume();
        process.kill();
      }
      TempDirs.deleteRecursively(directory);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "EtcdServer[" + name + ", " + endpoint() + ", " + directory + "]";
  }

  /** Starts the process without waiting; a cluster starts every member before awaiting any. */
  void launch() {
    lock.lock();
    try {
      process =
          ServerProcess.start(
              "etcd " + name,
              commandLine,
              directory,
              logFile,
              env -> env.keySet().removeIf(key -> key.startsWith("ETCD_")));
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code /health} is OK, failing with the log tail after {@code timeout}. */
  void awaitReady(Duration timeout) {
    ServerProcess p = process;
    Readiness.await(
        p,
        "etcd " + name + " on " + endpoint(),
        timeout,
        () -> {
          checkHealth(PROBE_TIMEOUT);
          return true;
        });
  }

  /** The startup deadline this member was configured with. */
  Duration startupTimeout() {
    return settings.startupTimeout();
  }

  /** Asks the member for its id and its view of the leader. */
  EtcdMemberStatus status(Duration timeout) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint() + "/v3/maintenance/status"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("status " + response.statusCode() + ": " + response.body());
    }
    return EtcdMemberStatus.parse(response.body());
  }

  private void checkHealth(Duration timeout) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(timeout).GET().build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !HEALTHY.matcher(response.body()).find()) {
      throw new IOException("/health answered " + response.statusCode() + ": " + response.body());
    }
  }

  /**
   * Configures a single-node {@link EtcdServer} before starting it. Extra arguments go after the
   * fixture's own flags, so they can override them.
   */
  public static final class Builder {

    private EtcdSettings settings = EtcdSettings.defaults();
    private String name = "n1";

    private Builder() {}

    /** The member name ({@code --name}); default {@code n1}. */
    public Builder name(String name) {
      if (name == null || name.isBlank() || name.contains("=") || name.contains(",")) {
        throw new IllegalArgumentException("not a usable etcd member name: " + name);
      }
      this.name = name;
      return this;
    }

    /**
     * The raft heartbeat interval; default 100 ms (etcd's default). Lower it together with {@link
     * #electionTimeout(Duration)} for faster failover, at the risk of spurious elections on a busy
     * machine.
     */
    public Builder heartbeatInterval(Duration heartbeat) {
      settings = settings.withHeartbeatInterval(heartbeat);
      return this;
    }

    /**
     * The election timeout; default 1000 ms (etcd's default). Must be at least 5 x the heartbeat.
     * It also sets the minimum lease TTL (see {@link EtcdServer#minLeaseTtl()}).
     */
    public Builder electionTimeout(Duration election) {
      settings = settings.withElectionTimeout(election);
      return this;
    }

    /** Adds {@code etcd} arguments, e.g. {@code arg("--auto-compaction-retention", "1")}. */
    public Builder arg(String... args) {
      settings = settings.withExtraArgs(args);
      return this;
    }

    /** How long start and restart wait for {@code /health}; default 20 s. */
    public Builder startupTimeout(Duration timeout) {
      settings = settings.withStartupTimeout(timeout);
      return this;
    }

    /**
     * Starts the member as a single-node cluster and waits until it is healthy; on failure nothing
     * is left behind.
     *
     * @throws IllegalStateException if {@code etcd} is missing or does not become healthy
     * @throws IllegalArgumentException if the raft timing is one etcd rejects
     */
    public EtcdServer start() {
      Path binary = ServerBinaries.etcd();
      ServerBinaries.etcdctl();
      EtcdSettings checked = settings.validated();
      int[] ports = FreePorts.allocate(2);
      String peerUrl = "http://" + HOST + ":" + ports[1];
      EtcdServer server =
          new EtcdServer(
              name,
              ports[0],
              ports[1],
              name + "=" + peerUrl,
              "distlock-" + UUID.randomUUID(),
              checked,
              binary);
      try {
        server.launch();
        server.awaitReady(checked.startupTimeout());
        return server;
      } catch (RuntimeException e) {
        try {
          server.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
