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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal Redis (RESP2) connection for tests that need to talk to a server without a client
 * library: to check readiness, seed or read data, or prove that a paused server does not answer.
 *
 * <p>{@link #command(String...)} understands simple strings, errors, integers and bulk strings;
 * {@link #commandReply(String...)} also understands arrays (e.g. for {@code SENTINEL
 * get-master-addr-by-name} or {@code CLUSTER SHARDS}). RESP3 is never negotiated. Connections can
 * be plain TCP or TLS ({@link #open(String, int, Duration, SSLContext)}). This is deliberately
 * small: a real client belongs in the code under test. Not thread-safe: use one connection per
 * thread.
 */
public final class RespConnection implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_DEPTH = 32;

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
   * Connects to {@code host:port} over TLS and completes the handshake, verifying the server
   * certificate against {@code sslContext}'s trust material and checking that it was issued for
   * {@code host} (an IP address must be in the certificate's subject alternative names). The
   * client presents a certificate only if {@code sslContext} has key material, e.g. {@link
   * TestCertificates#clientSslContext()}. {@code timeout} bounds the connect, the handshake and
   * each later read.
   *
   * <p>A server that requires client certificates and gets none may still let the TLS 1.3
   * handshake complete and close the connection afterwards, so the failure can surface only on
   * the first {@link #command(String...)}, as an {@link IOException}.
   *
   * @throws IOException if the connection or the handshake fails within {@code timeout}
   */
  public static RespConnection open(String host, int port, Duration timeout, SSLContext sslContext)
      throws IOException {
    int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      SSLSocket tls =
          (SSLSocket) sslContext.getSocketFactory().createSocket(socket, host, port, true);
      try {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(millis);
        tls.startHandshake();
        return new RespConnection(tls);
      } catch (IOException | RuntimeException e) {
        tls.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends {@code AUTH username password} (ACL users, Redis 6+).
   *
   * @return {@code "OK"}
   * @throws RespErrorException with code {@code WRONGPASS} if the user or password is wrong
   * @throws IOException on I/O errors
   */
  public String auth(String username, String password) throws IOException {
    return command("AUTH", username, password);
  }

  /**
   * Sends {@code AUTH password}, which authenticates the {@code default} user (as with {@code
   * requirepass}).
   *
   * @return {@code "OK"}
   * @throws RespErrorException with code {@code WRONGPASS} if the password is wrong
   * @throws IOException on I/O errors
   */
  public String auth(String password) throws IOException {
    return command("AUTH", password);
  }

  /**
   * Sends one command and reads its reply, whatever its type.
   *
   * @return like {@link #command(String...)} for non-array replies; an array reply becomes an
   *     unmodifiable {@code List<Object>} whose elements are again {@code String}, {@code null} or
   *     {@code List<Object>}; a nil array is {@code null}
   * @throws RespErrorException if the server answers with an error reply (an error nested in an
   *     array, e.g. in an {@code EXEC} reply, is returned as a {@link RespErrorException} element
   *     instead)
   * @throws java.net.SocketTimeoutException if no reply arrives within the connection's timeout
   * @throws IOException on other I/O errors or an unsupported reply type
   */
  public Object commandReply(String... args) throws IOException {
    send(args);
    return readValue(0);
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param args the command and its arguments, e.g. {@code "SET", "k", "v"}
   * @return a simple string's text ({@code "OK"}, {@code "PONG"}), an integer as decimal text, a
   *     bulk string's content, or {@code null} for a nil bulk string
   * @throws RespErrorException if the server answers with an error reply
   * @throws java.net.SocketTimeoutException if no reply arrives within the connection's timeout
   * @throws IOException on other I/O errors or an unsupported reply type (an array: use {@link
   *     #commandReply(String...)})
   */
  public String command(String... args) throws IOException {
    send(args);
    Object reply = readValue(0);
    if (reply instanceof List) {
      throw new IOException(
          "array reply to " + args[0] + "; use commandReply(...) for arrays: " + reply);
    }
    return (String) reply;
  }

  private void send(String... args) throws IOException {
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

  /** Reads one value; a top-level error is thrown, a nested one is returned. */
  private Object readValue(int depth) throws IOException {
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
        RespErrorException error = new RespErrorException(line);
        if (depth == 0) {
          throw error;
        }
        return error;
      case '$':
        return readBulk(Integer.parseInt(line));
      case '_':
        return null;
      case '*':
        return readArray(Integer.parseInt(line), depth);
      default:
        close();
        throw new IOException(
            "unsupported RESP reply type '" + (char) type + "' (line: " + line + ")");
    }
  }

  private List<Object> readArray(int length, int depth) throws IOException {
    if (length < 0) {
      return null;
    }
    if (depth >= MAX_DEPTH) {
      close();
      throw new IOException("array reply nested deeper than " + MAX_DEPTH);
    }
    List<Object> elements = new ArrayList<>(Math.min(length, 1024));
    for (int i = 0; i < length; i++) {
      elements.add(readValue(depth + 1));
    }
    return Collections.unmodifiableList(elements);
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
