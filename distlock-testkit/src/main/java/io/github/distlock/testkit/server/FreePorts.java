package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allocates free TCP ports on the loopback interface for servers the fixtures start.
 *
 * <p>Each port is found by binding a {@link ServerSocket} on {@code 127.0.0.1} port 0 and letting the
 * kernel choose. When several ports are needed at once (an etcd cluster needs two per node) all
 * sockets stay open until every port is chosen, so the kernel cannot hand out the same port twice.
 * Ports already handed out by this JVM are never handed out again, so two fixtures in one test run
 * cannot collide even after the first one's server has stopped. A small race with other processes
 * remains (the port is free when returned, not reserved), which is acceptable on a test machine.
 */
public final class FreePorts {

  private static final int MAX_ATTEMPTS = 1000;

  /** Ports this JVM has handed out; never handed out again. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * Returns one free loopback port. Use it for a server that needs a single port.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  public static int allocate() {
    return allocate(1)[0];
  }

  /**
   * Returns {@code count} distinct free loopback ports, chosen while all of them are held open.
   *
   * @param count how many ports, at least 1
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws UncheckedIOException if the ports cannot be bound
   */
  public static int[] allocate(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    List<ServerSocket> held = new ArrayList<>(count);
    int[] ports = new int[count];
    try {
      int found = 0;
      for (int attempt = 0; found < count; attempt++) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(
              "could not find " + count + " unused loopback ports in " + MAX_ATTEMPTS + " tries");
        }
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          ports[found++] = port;
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind a free loopback port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // a socket we only used to learn a port number
        }
      }
    }
  }
}
