package io.github.distlock.chaos;

import java.util.Locale;
import java.util.Optional;

/** The faults of the reliability suite, in run order. */
enum Scenario {
  NO_FAULTS("no faults: workers contend for the lock"),
  HOLDER_PAUSED("the holder is frozen (SIGSTOP) inside its critical section for 1.8 TTL, then resumed"),
  HOLDER_KILLED("the holder is killed (-9) inside its critical section"),
  SERVER_PAUSED_SHORT("the server is frozen for a third of the TTL"),
  SERVER_PAUSED_LONG("the server is frozen for 1.8 TTL"),
  SERVER_RESTARTED("the server is restarted (Redis loses its data; etcd keeps it)"),
  SERVER_ROLLED_BACK(
      "Redis restarts from a snapshot taken one settle period earlier, losing the grants since, as a failover to a lagging replica does"),
  LEADER_KILLED("the etcd leader is killed (-9); it rejoins after the settle period"),
  NETWORK_BLACK_HOLE("the holder's network to the server is black-holed for 1.8 TTL (fault proxy)"),
  NETWORK_LATENCY("one worker's network to the server gets 50 ms each way for 2 TTL (fault proxy)"),
  NETWORK_RESET("one worker's connections to the server are reset three times (fault proxy)");

  private final String description;

  Scenario(String description) {
    this.description = description;
  }

  /** The name in reports, e.g. {@code holder-paused}. */
  String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** What happens, for the report. */
  String description() {
    return description;
  }

  /** Why this scenario cannot run on {@code target}, or empty when it can. */
  Optional<String> notApplicableTo(ChaosTarget target) {
    switch (this) {
      case SERVER_ROLLED_BACK:
        return target.canRollBack()
            ? Optional.empty()
            : Optional.of("etcd acknowledges a write only once a quorum has it on disk: there is no older state to fall back to");
      case LEADER_KILLED:
        return target.hasLeader() ? Optional.empty() : Optional.of("no leader: not a Raft cluster");
      case NETWORK_BLACK_HOLE:
      case NETWORK_LATENCY:
      case NETWORK_RESET:
        return target.proxyableAddress().isPresent()
            ? Optional.empty()
            : Optional.of("clients reach cluster members at addresses the cluster announces, so a one-address proxy would be bypassed");
      default:
        return Optional.empty();
    }
  }

  /** Looks a scenario up by {@link #id()}. */
  static Scenario byId(String id) {
    for (Scenario s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario: " + id);
  }
}
