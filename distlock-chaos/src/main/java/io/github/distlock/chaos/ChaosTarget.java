package io.github.distlock.chaos;

import java.util.Optional;

/**
 * One backend deployment under test: the servers it started, the URI a worker uses, and the
 * server-side faults it supports. Implementations start their servers in their factory method
 * and stop them in {@link #close()}.
 */
interface ChaosTarget extends AutoCloseable {

  /** Short name for reports, e.g. {@code redis-cluster}. */
  String name();

  /** The backend family, {@code redis} or {@code etcd}. */
  String backend();

  /** The URI for a worker connecting directly. */
  String uri();

  /**
   * The single {@code host:port} a fault proxy can sit in front of, or empty when clients learn
   * server addresses from the servers themselves (clusters), so a proxy would be bypassed.
   */
  Optional<String> proxyableAddress();

  /** The worker URI with {@code address} (a proxy) in place of the server's. */
  String uriThrough(String address);

  /** Freezes the server that serves the lock key (SIGSTOP); for a cluster, that node or the leader. */
  void pauseServer();

  /** Undoes {@link #pauseServer()}. */
  void resumeServer();

  /** Restarts the server that serves the lock key (Redis loses its data, etcd keeps it). */
  void restartServer();

  /** Whether {@link #snapshot()} and {@link #restartFromSnapshot()} apply (Redis). */
  default boolean canRollBack() {
    return false;
  }

  /** Writes a snapshot of the server's data (Redis {@code SAVE}). */
  default void snapshot() {
    throw new UnsupportedOperationException(name() + " cannot roll back");
  }

  /** Stops the server without saving and starts it again from the last {@link #snapshot()}. */
  default void restartFromSnapshot() {
    throw new UnsupportedOperationException(name() + " cannot roll back");
  }

  /** Whether {@link #killLeader()} applies (a Raft cluster). */
  default boolean hasLeader() {
    return false;
  }

  /**
   * Kills the leader (-9), waits for a new one, and returns a handle that restarts the killed
   * node.
   */
  default Runnable killLeader() {
    throw new UnsupportedOperationException(name() + " has no leader");
  }

  @Override
  void close();
}
