package io.github.distlock.testkit.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options shared by {@link EtcdServer.Builder} and {@link EtcdCluster.Builder}: raft timing, extra
 * {@code etcd} arguments and the startup deadline. Immutable; the builders replace it.
 */
record EtcdSettings(
    Duration heartbeatInterval,
    Duration electionTimeout,
    List<String> extraArgs,
    Duration startupTimeout) {

  /** etcd's own defaults for raft timing (100 ms / 1000 ms) and a 20 s startup deadline. */
  static EtcdSettings defaults() {
    return new EtcdSettings(
        Duration.ofMillis(100), Duration.ofMillis(1000), List.of(), Duration.ofSeconds(20));
  }

  EtcdSettings {
    extraArgs = List.copyOf(extraArgs);
  }

  EtcdSettings withHeartbeatInterval(Duration heartbeat) {
    requirePositive("heartbeatInterval", heartbeat);
    return new EtcdSettings(heartbeat, electionTimeout, extraArgs, startupTimeout);
  }

  EtcdSettings withElectionTimeout(Duration election) {
    requirePositive("electionTimeout", election);
    return new EtcdSettings(heartbeatInterval, election, extraArgs, startupTimeout);
  }

  EtcdSettings withExtraArgs(String... args) {
    List<String> all = new ArrayList<>(extraArgs);
    for (String arg : args) {
      all.add(Objects.requireNonNull(arg, "arg"));
    }
    return new EtcdSettings(heartbeatInterval, electionTimeout, all, startupTimeout);
  }

  EtcdSettings withStartupTimeout(Duration timeout) {
    requirePositive("startupTimeout", timeout);
    return new EtcdSettings(heartbeatInterval, electionTimeout, extraArgs, timeout);
  }

  /** Checks the rule etcd itself enforces at startup, to fail early with a clear message. */
  EtcdSettings validated() {
    if (electionTimeout.toMillis() < 5 * heartbeatInterval.toMillis()) {
      throw new IllegalArgumentException(
          "etcd requires electionTimeout >= 5 x heartbeatInterval, got "
              + electionTimeout.toMillis() + " ms and " + heartbeatInterval.toMillis() + " ms");
    }
    return this;
  }

  /**
   * The smallest lease TTL etcd grants with this timing: {@code ceil(((3 * electionTicks) / 2) *
   * heartbeat)} in whole seconds, where {@code electionTicks = electionTimeout / heartbeat}. A
   * lease asked for with a shorter TTL is silently granted this TTL.
   */
  Duration minLeaseTtl() {
    long heartbeatMs = heartbeatInterval.toMillis();
    long electionTicks = electionTimeout.toMillis() / heartbeatMs;
    long minTtlMs = ((3 * electionTicks) / 2) * heartbeatMs;
    return Duration.ofSeconds((minTtlMs + 999) / 1000);
  }

  private static void requirePositive(String what, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
  }
}
