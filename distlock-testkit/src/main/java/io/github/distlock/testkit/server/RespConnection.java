package io.github.distlock.testkit.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal Redis (RESP2) connection for tests that need to talk to a server without a client
 * library: to check readiness, seed or read data, or prove that a paused server does not answer.
 *
 * <p>Understands simple strings, errors, integers and bulk strings; other reply types (arrays, for
 * example) make {@link #command(String...)} throw, since a real client belongs in the code under
 * test. Not thread-safe: use one connection per thread.
 */
public final class RespConnection implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code host:port}. {@code timeout} bounds the connect and each later read, so a
   * paused or dead server makes calls fail with {@link java.net.SocketTimeoutException} instead of
   * hanging.
   *
   * @throws IOException if the connection cannot be made within {@code timeout}
   */
  public static RespConnection open(String host, int port, Duration timeout) throws IOException {
    int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      return new RespConnection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param args the command and its arguments, e.g. {@code "SET", "k", "v"}
   * @return a simple string's text ({@code "OK"}, {@code "PONG"}), an integer as decimal text, a
   *     bulk string's content, or {@code null} for a nil bulk string
   * @throws RespErrorException if the server answers with an error reply
   * @throws java.net.SocketTimeoutException if no reply arrives within the connection's timeout
   * @throws IOException on other I/O errors or an unsupported reply type
   */
  public String command(String... args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("a command needs at least its name");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
    return readReply();
  }

  /** Closes the socket; never throws. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }

  private String readReply() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine();
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        throw new RespErrorException(line);
      case '$':
        return readBulk(Integer.parseInt(line));
      case '_':
        return null;
      default:
        close();
        throw new IOException(
            "unsupported RESP reply type '" + (char) type + "' (line: " + line + ")");
    }
  }

  private String readBulk(int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] data = in.readNBytes(length);
    if (data.length < length) {
      throw new EOFException("connection closed in the middle of a bulk string");
    }
    if (in.read() != '\r' || in.read() != '\n') {
      throw new IOException("bulk string not followed by CRLF");
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of a reply");
      }
      if (b == '\r') {
        int next = in.read();
        if (next == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
        if (next < 0) {
          throw new EOFException("connection closed in the middle of a reply");
        }
        line.write(next);
      } else {
        line.write(b);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("reply line longer than " + MAX_LINE + " bytes");
      }
    }
  }
}
