package io.github.distlock.chaos.register;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One client connection to the {@link RegisterServer}: a request line out, a reply line back.
 * Not thread-safe: each worker thread has its own.
 */
public final class LineConnection implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;
  private final BufferedWriter out;

  private LineConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII));
  }

  /**
   * Connects to the register.
   *
   * @param address {@code host:port}
   * @param timeout connect and read deadline (a reply can be held back while a fault is injected,
   *     so make it longer than the longest fault)
   */
  public static LineConnection open(String address, Duration timeout) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("register address must be host:port, got: " + address);
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(
          new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      return new LineConnection(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // failed anyway
      }
      throw new UncheckedIOException("cannot connect to the register at " + address, e);
    }
  }

  /**
   * Sends one request line and returns the reply line.
   *
   * @throws UncheckedIOException if the register is gone or does not answer in time
   */
  public String call(String request) {
    try {
      out.write(request);
      out.write('\n');
      out.flush();
      String reply = in.readLine();
      if (reply == null) {
        throw new IOException("register closed the connection");
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException("register call failed: " + request, e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
