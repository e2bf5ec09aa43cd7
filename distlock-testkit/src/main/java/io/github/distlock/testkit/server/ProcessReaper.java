package io.github.distlock.testkit.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every server process still running when the JVM exits, so a test run that crashes or
 * forgets to close a fixture leaves no {@code redis-server} or {@code etcd} behind. Paused processes
 * are resumed first. (A JVM killed with {@code SIGKILL} runs no hooks; nothing can help there.)
 */
final class ProcessReaper {

  private static final Set<ServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessReaper::killAll, "distlock-server-reaper"));
  }

  private ProcessReaper() {}

  /** Starts tracking {@code process}; it is forgotten again once it exits. */
  static void track(ServerProcess process) {
    RUNNING.add(process);
    process.onExit(() -> RUNNING.remove(process));
  }

  private static void killAll() {
    for (ServerProcess process : RUNNING) {
      try {
        process.killAtShutdown();
      } catch (RuntimeException e) {
        System.err.println("distlock: could not kill " + process + ": " + e);
      }
    }
  }
}
