package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

/**
 * A real {@code redis-server} on a free loopback port, in its own temp dir, without persistence.
 *
 * <p>Start one with {@link #start()} or, for extra configuration (password, ACL users, TLS, cluster
 * mode, a config file, sentinel mode), with {@link #builder()}. It is ready (answers {@code PING})
 * when {@code start} returns. Inject faults with {@link #stop()}, {@link #kill()}, {@link
 * #pause()}/{@link #resume()} and {@link #restart()}; a restart comes back on the same port with
 * an <em>empty</em> dataset, which is how tests make a lock's key disappear behind its holder's
 * back (a config file written with {@link Builder#config(String...)}, and a cluster node's {@code
 * nodes.conf}, do survive). {@link #close()} kills the process and deletes the temp dir; use
 * try-with-resources or an {@code @AfterAll}.
 *
 * <p>Instances are safe to use from several threads.
 */
public final class RedisServer implements AutoCloseable {

  /** How long {@link #start()} and {@link #restart()} wait for {@code PING} to work by default. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(20);

  /** Socket timeout of {@link #command(String...)} and {@link #ping()}. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private static final String HOST = "127.0.0.1";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final int port;
  private final Path directory;
  private final Path logFile;
  private final List<String> commandLine;
  private final Duration startupTimeout;
  private final boolean sentinel;
  private final TestCertificates tls;
  private final SSLContext sslContext;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile ServerProcess process;
  private boolean closed;

  private RedisServer(Builder builder, Path binary) {
    this.port = FreePorts.allocate();
    this.directory = TempDirs.create("distlock-redis-" + port + "-");
    this.logFile = directory.resolve("redis.log");
    this.startupTimeout = builder.startupTimeout;
    this.sentinel = builder.sentinel;
    this.tls = builder.tls;
    this.sslContext = tls == null ? null : tls.clientSslContext();
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    if (builder.configLines != null) {
      // Written once: a restart keeps what the server rewrote (sentinel state, CONFIG REWRITE).
      Path configFile = directory.resolve(builder.sentinel ? "sentinel.conf" : "redis.conf");
      try {
        Files.writeString(
            configFile, String.join("\n", builder.configLines) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        TempDirs.deleteRecursively(directory);
        throw new UncheckedIOException("could not write " + configFile, e);
      }
      cmd.add(configFile.toString());
    }
    if (builder.sentinel) {
      cmd.add("--sentinel");
    }
    if (tls == null) {
      cmd.addAll(List.of("--port", Integer.toString(port)));
    } else {
      cmd.addAll(
          List.of(
              "--port", "0",
              "--tls-port", Integer.toString(port),
              "--tls-cert-file", tls.serverCert().toString(),
              "--tls-key-file", tls.serverKey().toString(),
              "--tls-ca-cert-file", tls.caCert().toString(),
              "--tls-auth-clients", builder.tlsAuthClients ? "yes" : "no"));
    }
    cmd.addAll(
        List.of(
            "--bind", HOST,
            "--save", "",
            "--appendonly", "no",
            "--dir", directory.toString(),
            "--protected-mode", "no",
            "--daemonize", "no",
            "--logfile", ""));
    cmd.addAll(builder.extraArgs);
    this.commandLine = List.copyOf(cmd);
  }

  /**
   * Starts a server with the default configuration and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException if {@code redis-server} is not installed (the message says how to
   *     install it) or the server is not ready within {@link #DEFAULT_STARTUP_TIMEOUT} (the message
   *     includes the tail of its log)
   */
  public static RedisServer start() {
    return builder().start();
  }

  /** Returns a builder, for a server that needs extra {@code redis-server} arguments. */
  public static Builder builder() {
    return new Builder();
  }

  /** Always {@code 127.0.0.1}: the server listens on loopback only. */
  public String host() {
    return HOST;
  }

  /** The port, fixed for the fixture's life (it survives {@link #restart()}). */
  public int port() {
    return port;
  }

  /**
   * The address clients use: {@code redis://127.0.0.1:PORT}, or {@code rediss://127.0.0.1:PORT}
   * for a TLS server (whose certificate is valid for {@code 127.0.0.1} and {@code localhost}).
   */
  public String uri() {
    return (tls == null ? "redis://" : "rediss://") + HOST + ":" + port;
  }

  /** Whether the server listens for TLS only (built with {@link Builder#tls}). */
  public boolean isTls() {
    return tls != null;
  }

  /**
   * The certificates a TLS server uses, for clients to trust its CA or present the client
   * certificate.
   *
   * @throws IllegalStateException if the server does not use TLS
   */
  public TestCertificates tlsCertificates() {
    if (tls == null) {
      throw new IllegalStateException(this + " does not use TLS");
    }
    return tls;
  }

  /** Whether the server runs as a Redis Sentinel (built with {@link Builder#sentinel()}). */
  public boolean isSentinel() {
    return sentinel;
  }

  /** The temp dir the server runs in ({@code --dir}); deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** The full {@code redis-server} command line, including the extra builder arguments. */
  public List<String> commandLine() {
    return commandLine;
  }

  /**
   * The current process id; it changes on {@link #restart()}. Use it with {@link
   * ProcessHandle#of(long)} to check that a process is gone.
   */
  public long pid() {
    return currentProcess().pid();
  }

  /** Whether the server process is alive (also true while it is paused). */
  public boolean isRunning() {
    ServerProcess p = process;
    return p != null && p.isAlive();
  }

  /** Whether the server is paused by {@link #pause()}. */
  public boolean isPaused() {
    ServerProcess p = process;
    return p != null && p.isPaused();
  }

  /** Stops the server gracefully ({@code SIGTERM}, then {@code SIGKILL} after 10 s). */
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

  /** Kills the server with {@code SIGKILL}, like a crash, and waits until it is gone. */
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
   * Freezes the server with {@code SIGSTOP}: connections still open but nothing is answered, as in
   * a long pause or a network stall. Call {@link #resume()} to let it go on.
   *
   * @throws IllegalStateException if the server is not running
   */
  public void pause() {
    lock.lock();
    try {
      currentProcess().pause();
    } finally {
      lock.unlock();
    }
  }

  /** Resumes a server frozen by {@link #pause()}; does nothing if it is not paused. */
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
   * Stops the server if it is running (resuming it first if paused), starts it again on the same
   * port and dir, and waits until it answers {@code PING}. There is no persistence, so all data is
   * gone afterwards.
   *
   * @throws IllegalStateException if it does not come back within the startup timeout
   */
  public void restart() {
    lock.lock();
    try {
      ensureOpen();
      if (process != null) {
        process.stop();
      }
      launch();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends {@code PING} on a new connection and returns the reply, {@code "PONG"}.
   *
   * @throws UncheckedIOException if the server does not answer within {@link #COMMAND_TIMEOUT}
   * @throws RespErrorException if it answers with an error (e.g. {@code NOAUTH})
   */
  public String ping() {
    return command("PING");
  }

  /**
   * Sends one command on a new connection and returns the reply (see {@link
   * RespConnection#command(String...)}). Handy to seed or inspect data in a test; for several
   * commands on one connection (e.g. {@code AUTH} first) use {@link #connect(Duration)}.
   *
   * @throws UncheckedIOException if the server does not answer within {@link #COMMAND_TIMEOUT}
   * @throws RespErrorException if it answers with an error reply
   */
  public String command(String... args) {
    try (RespConnection connection = connect(COMMAND_TIMEOUT)) {
      return connection.command(args);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis-server on " + HOST + ":" + port + " did not answer " + Arrays.toString(args), e);
    }
  }

  /**
   * Opens a raw connection whose connect and reads time out after {@code timeout}. The caller
   * closes it. For a TLS server the connection uses TLS and presents the client certificate (so it
   * works whether or not the server requires one); to connect differently, use {@link
   * RespConnection#open(String, int, Duration, SSLContext)} with {@link #port()}.
   *
   * @throws IOException if it cannot connect (or complete the TLS handshake) within {@code timeout}
   */
  public RespConnection connect(Duration timeout) throws IOException {
    return sslContext == null
        ? RespConnection.open(HOST, port, timeout)
        : RespConnection.open(HOST, port, timeout, sslContext);
  }

  /** The last {@code lines} lines of the server's log, e.g. for a failure message. */
  public String logTail(int lines) {
    return ServerProcess.logTail(logFile, lines);
  }

  /**
   * Kills the server (resuming it first if paused; nothing needs to survive, so there is no
   * graceful shutdown) and deletes its temp dir. Safe to call more than once.
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
    return "RedisServer[" + uri() + ", " + directory + "]";
  }

  private void launch() {
    process = ServerProcess.start("redis-server", commandLine, directory, logFile);
    Readiness.await(
        process, "redis-server on " + HOST + ":" + port, startupTimeout, this::answersPing);
  }

  private boolean answersPing() throws IOException {
    try (RespConnection connection = connect(PROBE_TIMEOUT)) {
      return "PONG".equals(connection.command("PING"));
    } catch (RespErrorException e) {
      // A server with a password answers NOAUTH: it is up. LOADING and the like mean not yet.
      return "NOAUTH".equals(e.code());
    }
  }

  private ServerProcess currentProcess() {
    ServerProcess p = process;
    if (p == null) {
      throw new IllegalStateException(this + " was never started");
    }
    return p;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * Configures a {@link RedisServer} before starting it. The command line is {@code redis-server
   * [<config file>] [--sentinel]}, then the defaults ({@code --port P --bind 127.0.0.1 --save ""
   * --appendonly no --dir <tmp> --protected-mode no --daemonize no --logfile ""}; with TLS {@code
   * --port 0 --tls-port P} and the certificate options instead of {@code --port P}), then the
   * extra arguments, which can therefore override the defaults.
   */
  public static final class Builder {

    private final List<String> extraArgs = new ArrayList<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private List<String> configLines;
    private boolean sentinel;
    private TestCertificates tls;
    private boolean tlsAuthClients;

    private Builder() {}

    /**
     * Writes these lines to a config file in the server's temp dir ({@code redis.conf}, or {@code
     * sentinel.conf} in sentinel mode) and passes it first on the command line. The server may
     * rewrite the file ({@code CONFIG REWRITE}; a sentinel rewrites it on every state change), and
     * {@link RedisServer#restart()} keeps the rewritten file. Command-line options override the
     * file's.
     */
    public Builder config(String... lines) {
      List<String> copy = new ArrayList<>();
      for (String line : lines) {
        copy.add(Objects.requireNonNull(line, "config line"));
      }
      this.configLines = copy;
      return this;
    }

    /**
     * Runs the server as a Redis Sentinel ({@code --sentinel}). A sentinel needs a writable config
     * file with at least its {@code sentinel monitor} line: give it with {@link
     * #config(String...)}, e.g. {@code config("sentinel monitor mymaster 127.0.0.1 6379 2")}.
     */
    public Builder sentinel() {
      this.sentinel = true;
      return this;
    }

    /**
     * Listens for TLS only ({@code --port 0 --tls-port P}) with {@code certs}' server certificate,
     * without requiring client certificates ({@code --tls-auth-clients no}). {@link
     * RedisServer#uri()} then starts with {@code rediss://}.
     */
    public Builder tls(TestCertificates certs) {
      return tls(certs, false);
    }

    /**
     * Listens for TLS only with {@code certs}' server certificate; with {@code
     * requireClientCertificate} clients must present a certificate signed by the CA ({@code
     * --tls-auth-clients yes}). The fixture's own connections always present {@code certs}' client
     * certificate.
     */
    public Builder tls(TestCertificates certs, boolean requireClientCertificate) {
      this.tls = Objects.requireNonNull(certs, "certs");
      this.tlsAuthClients = requireClientCertificate;
      return this;
    }

    /**
     * Adds an ACL user at startup: {@code --user <name> on ><password> <rules...>}, e.g. {@code
     * aclUser("app", "pw", "~app:*", "+@all", "-flushall")}. Rules are ACL SETUSER rules; with
     * none the user can log in but do nothing. The {@code default} user stays as it is (no password,
     * all permissions) unless configured with {@code aclUser("default", ...)} or {@code
     * --requirepass}; the fixture's readiness check accepts a {@code NOAUTH} reply.
     *
     * @throws IllegalArgumentException if the name, password or a rule is empty or contains
     *     whitespace or quotes (the server joins the option's words and splits them again)
     */
    public Builder aclUser(String name, String password, String... rules) {
      List<String> user = new ArrayList<>();
      user.add(checkAclToken(name, "user name"));
      user.add("on");
      user.add(">" + checkAclToken(password, "password"));
      for (String rule : rules) {
        user.add(checkAclToken(rule, "ACL rule"));
      }
      extraArgs.add("--user");
      extraArgs.addAll(user);
      return this;
    }

    private static String checkAclToken(String token, String what) {
      Objects.requireNonNull(token, what);
      if (token.isEmpty()
          || token.codePoints().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
        throw new IllegalArgumentException(
            what + " must be non-empty, without whitespace or quotes: <" + token + ">");
      }
      return token;
    }

    /**
     * Adds {@code redis-server} arguments, e.g. {@code arg("--requirepass", "secret")} or {@code
     * arg("--cluster-enabled", "yes")}.
     */
    public Builder arg(String... args) {
      for (String a : args) {
        extraArgs.add(Objects.requireNonNull(a, "arg"));
      }
      return this;
    }

    /** Adds {@code redis-server} arguments from a list; see {@link #arg(String...)}. */
    public Builder args(List<String> args) {
      return arg(args.toArray(String[]::new));
    }

    /**
     * How long start and restart wait for the server to answer; default {@link
     * #DEFAULT_STARTUP_TIMEOUT}.
     */
    public Builder startupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Starts the server and waits until it answers {@code PING}; on failure nothing is left behind.
     *
     * @throws IllegalStateException if {@code redis-server} is missing or does not become ready
     */
    public RedisServer start() {
      RedisServer server = new RedisServer(this, ServerBinaries.redisServer());
      try {
        server.launch();
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
