package io.github.distlock.testkit.server;

/**
 * A Redis error reply (a RESP {@code -} line such as {@code -NOAUTH Authentication required.}),
 * thrown by {@link RespConnection#command(String...)} so a test can assert on it.
 */
public final class RespErrorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception from the error line without its leading {@code -}.
   *
   * @param error e.g. {@code "ERR unknown command 'FOO'"}
   */
  public RespErrorException(String error) {
    super(error);
  }

  /**
   * The error's first word, e.g. {@code "ERR"}, {@code "NOAUTH"}, {@code "WRONGTYPE"}; use it to
   * tell error kinds apart without parsing the message.
   */
  public String code() {
    String message = getMessage();
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }
}
