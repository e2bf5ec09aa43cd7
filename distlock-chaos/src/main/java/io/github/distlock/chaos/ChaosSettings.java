package io.github.distlock.chaos;

import java.time.Duration;

/**
 * How long and how wide a chaos run is.
 *
 * @param processes worker JVMs per target
 * @param threads threads per worker
 * @param ttl lease TTL (whole seconds, for etcd)
 * @param operationTimeout the workers' deadline per backend call
 * @param baseline load before each fault
 * @param settle load after each fault is healed
 * @param quiet length of the no-fault scenario's fault window
 * @param warmUp load before the first scenario, not measured (JIT, connections)
 */
record ChaosSettings(
    int processes,
    int threads,
    Duration ttl,
    Duration operationTimeout,
    Duration baseline,
    Duration settle,
    Duration quiet,
    Duration warmUp) {

  /** A few minutes for every scenario on every target: the CI run. */
  static ChaosSettings quick() {
    // TTL 2 s, not etcd's 1 s minimum: on a loaded 2-core CI machine a 1 s lease can miss its
    // renewals with no fault at all (a stalled JVM), and the no-fault scenarios assert no losses.
    return new ChaosSettings(
        3, 2, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(1200), Duration.ofSeconds(2),
        Duration.ofSeconds(2));
  }

  /** The full run: more workers, longer windows. */
  static ChaosSettings full() {
    return new ChaosSettings(
        4, 4, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(20),
        Duration.ofSeconds(5));
  }

  /** How long one acquire waits before it reports a timeout and starts over. */
  Duration waitTimeout() {
    return ttl.multipliedBy(5);
  }

  /** A holder or server pause that outlasts the TTL. */
  Duration longPause() {
    return ttl.multipliedBy(9).dividedBy(5);
  }

  /** A server pause the TTL absorbs (one renewal interval). */
  Duration shortPause() {
    return ttl.dividedBy(3);
  }
}
