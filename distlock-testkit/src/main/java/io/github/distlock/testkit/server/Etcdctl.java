package io.github.distlock.testkit.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code etcdctl} (API v3) against given endpoints, with a deadline. */
final class Etcdctl {

  /** Overall deadline of one etcdctl run; its own dial and command timeouts are shorter. */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Etcdctl() {}

  /**
   * Runs {@code etcdctl --endpoints=<endpoints> args...} and returns its stdout.
   *
   * @throws IllegalStateException with stderr if it exits non-zero or misses the deadline
   */
  static String run(String endpoints, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ServerBinaries.etcdctl().toString());
    command.add("--endpoints=" + endpoints);
    command.add("--dial-timeout=2s");
    command.add("--command-timeout=5s");
    command.addAll(List.of(args));
    return ExternalCommand.run(command, TIMEOUT, Etcdctl::cleanEnvironment).stdoutOrThrow();
  }

  /** Drops inherited {@code ETCDCTL_*} settings so only our flags count, and selects API v3. */
  private static void cleanEnvironment(Map<String, String> env) {
    env.keySet().removeIf(key -> key.startsWith("ETCDCTL_"));
    env.put("ETCDCTL_API", "3");
  }
}
