package io.github.distlock.testkit.server;

/**
 * Run in a separate JVM by {@link ProcessReaperIT}: starts servers, prints their pids, pauses one
 * and exits without closing anything, so the shutdown hook must clean up.
 */
public final class ShutdownHookChild {

  private ShutdownHookChild() {}

  /** Entry point; prints {@code pids ...} and {@code dirs ...} and exits. */
  public static void main(String[] args) {
    RedisServer running = RedisServer.start();
    RedisServer paused = RedisServer.start();
    paused.pause();
    System.out.println("pids " + running.pid() + " " + paused.pid());
    System.out.println("dirs " + running.directory() + " " + paused.directory());
    System.out.flush();
    System.exit(0);
  }
}
