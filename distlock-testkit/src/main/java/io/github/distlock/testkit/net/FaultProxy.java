package io.github.distlock.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on a loopback port that forwards to one server and injects network faults between
 * the clients that connect through it and that server: a black hole, added latency, and
 * connection resets. Put it between one client and the server to fault that client alone.
 *
 * <ul>
 *   <li>{@link #blackHole()}: nothing is forwarded in either direction and new connections are
 *       accepted but not connected upstream, like a partition: the bytes wait in the kernel's
 *       buffers and are delivered when {@link #heal()} ends it (as TCP would after a partition
 *       shorter than its retransmission timeout).
 *   <li>{@link #latency(Duration)}: every chunk is delayed by that much in each direction.
 *   <li>{@link #resetConnections()}: every open connection is closed with a TCP reset.
 * </ul>
 *
 * <p>Each connection uses two platform threads (one per direction). Not meant for throughput.
 */
public final class FaultProxy implements AutoCloseable {

  private static final int BUFFER = 16 * 1024;

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition healed = lock.newCondition();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong fromClients = new AtomicLong();
  private volatile boolean blackHole;
  private volatile long latencyNanos;
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy on a free loopback port forwarding to {@code host:port}, in pass-through mode.
   *
   * @param host the server's host
   * @param port the server's port
   * @return the running proxy
   * @throws IllegalArgumentException if {@code host} is blank or {@code port} out of range
   * @throws UncheckedIOException if no listening socket can be opened
   */
  public static FaultProxy start(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, got: " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got: " + port);
    }
    try {
      return new FaultProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a proxy for " + host + ":" + port, e);
    }
  }

  /** The loopback host clients connect to. */
  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  /** The port clients connect to instead of the server's. */
  public int port() {
    return listener.getLocalPort();
  }

  /** {@code host:port} of the proxy, for URIs. */
  public String address() {
    return host() + ":" + port();
  }

  /** Connections currently open through the proxy. */
  public int openConnections() {
    return links.size();
  }

  /** Connections accepted since the start. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /**
   * Bytes read from clients since the start, forwarded or not: during a black hole it tells that
   * a client's request has reached the proxy (and is held there), so that a reset is sure to
   * catch it in flight.
   */
  public long bytesFromClients() {
    return fromClients.get();
  }

  /** Stops forwarding in both directions until {@link #heal()}; connections stay open. */
  public void blackHole() {
    blackHole = true;
  }

  /**
   * Delays every chunk by {@code oneWay} in each direction until {@link #heal()} (zero removes
   * it).
   *
   * @throws IllegalArgumentException if {@code oneWay} is null or negative
   */
  public void latency(Duration oneWay) {
    if (oneWay == null || oneWay.isNegative()) {
      throw new IllegalArgumentException("oneWay must be zero or positive, got: " + oneWay);
    }
    latencyNanos = oneWay.toNanos();
  }

  /** Ends a black hole and removes added latency: back to plain forwarding. */
  public void heal() {
    latencyNanos = 0;
    lock.lock();
    try {
      blackHole = false;
      healed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes every open connection with a TCP reset (the client sees "connection reset"); new
   * connections are accepted as usual.
   *
   * @return how many connections were reset
   */
  public int resetConnections() {
    int count = 0;
    for (Link link : links) {
      link.reset();
      count++;
    }
    return count;
  }

  /** Closes the listening socket and every connection. */
  @Override
  public void close() {
    closed = true;
    heal();
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    resetConnections();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + address() + " -> " + target.getHostString() + ":" + target.getPort()
        + (blackHole ? ", black hole" : "")
        + (latencyNanos > 0 ? ", +" + Duration.ofNanos(latencyNanos).toMillis() + " ms" : "")
        + "]";
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        accepted.incrementAndGet();
        Link link = new Link(client);
        links.add(link);
        Thread t = new Thread(link::open, "fault-proxy-link-" + port());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          // transient accept failure: keep serving
          continue;
        }
      }
    }
  }

  /** Blocks while the black hole is on; returns false if the proxy closed meanwhile. */
  private boolean awaitPassable() throws InterruptedException {
    if (!blackHole) {
      return !closed;
    }
    lock.lock();
    try {
      while (blackHole && !closed) {
        healed.await(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
    return !closed;
  }

  /** One client connection and its upstream connection. */
  private final class Link {
    private final Socket client;
    private volatile Socket server;

    Link(Socket client) {
      this.client = client;
    }

    void open() {
      try {
        client.setTcpNoDelay(true);
        if (!awaitPassable()) {
          reset();
          return;
        }
        Socket upstream = new Socket();
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 5_000);
        server = upstream;
        Thread back = new Thread(() -> pump(upstream, client, null), "fault-proxy-down-" + port());
        back.setDaemon(true);
        back.start();
        pump(client, upstream, fromClients);
      } catch (IOException | InterruptedException e) {
        reset();
      }
    }

    private void pump(Socket from, Socket to, AtomicLong counted) {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long readAt = System.nanoTime();
          if (counted != null) {
            counted.addAndGet(n);
          }
          if (!awaitPassable()) {
            break;
          }
          long delay = latencyNanos - (System.nanoTime() - readAt);
          if (delay > 0) {
            // the injected fault itself: this direction of this connection is late by `delay`
            TimeUnit.NANOSECONDS.sleep(delay);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        // orderly close from one side: pass the half-close on
        to.shutdownOutput();
      } catch (IOException | InterruptedException e) {
        reset();
      }
      if (from.isInputShutdown() || to.isOutputShutdown()) {
        closeIfBothDone();
      }
    }

    private void closeIfBothDone() {
      Socket s = server;
      if (client.isClosed() || s == null || (client.isOutputShutdown() && s.isOutputShutdown())) {
        quietClose(client);
        if (s != null) {
          quietClose(s);
        }
        links.remove(this);
      }
    }

    void reset() {
      links.remove(this);
      try {
        client.setSoLinger(true, 0);
      } catch (SocketException ignored) {
        // already closed
      }
      quietClose(client);
      Socket s = server;
      if (s != null) {
        try {
          s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
          // already closed
        }
        quietClose(s);
      }
    }
  }

  private static void quietClose(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

}
