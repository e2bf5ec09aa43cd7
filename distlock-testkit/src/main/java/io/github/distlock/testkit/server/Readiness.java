package io.github.distlock.testkit.server;

import java.time.Duration;

/** Polls a server until it answers, with a deadline and a useful failure message. */
final class Readiness {

  /** How many log lines a failure message includes. */
  static final int LOG_LINES_IN_ERRORS = 40;

  private static final long POLL_INTERVAL_MILLIS = 50;

  /** One readiness check; returns true when ready, returns false or throws when not yet. */
  @FunctionalInterface
  interface Probe {
    boolean ready() throws Exception;
  }

  private Readiness() {}

  /**
   * Polls {@code probe} until it returns true.
   *
   * @throws IllegalStateException if the process exits first, or on timeout; either message
   *     includes the last probe error and the tail of the server log
   */
  static void await(ServerProcess process, String what, Duration timeout, Probe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            what + " (" + process + ") exited with code " + process.exitCode().orElse(-1)
                + " before it was ready" + details(process, lastError));
      }
      try {
        if (probe.ready()) {
          return;
        }
        lastError = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            what + " (" + process + ") not ready after " + timeout.toMillis() + " ms"
                + details(process, lastError));
      }
      try {
        Thread.sleep(POLL_INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static String details(ServerProcess process, Exception lastError) {
    return (lastError == null ? "" : "; last check failed with: " + lastError)
        + System.lineSeparator() + "--- last " + LOG_LINES_IN_ERRORS + " lines of "
        + process.logFile() + " ---" + System.lineSeparator()
        + process.logTail(LOG_LINES_IN_ERRORS);
  }
}
