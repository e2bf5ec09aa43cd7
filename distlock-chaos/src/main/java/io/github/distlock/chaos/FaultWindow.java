package io.github.distlock.chaos;

/**
 * When a scenario's fault began and ended, whom it hit, and when another worker next got the
 * lock. Times are {@code System.nanoTime()}; -1 means "not applicable".
 *
 * @param victim the worker the fault hit, or -1 for server faults and no fault
 * @param faultAt when the fault began
 * @param healedAt when it ended
 * @param recoveredAt start of the first critical section of another worker after the fault (holder
 *     faults) or after healing (server faults), or -1 if none came
 * @param recoveryFromFault whether recovery counts from {@code faultAt} (else from {@code healedAt})
 * @param note anything the injector wants in the report
 */
record FaultWindow(int victim, long faultAt, long healedAt, long recoveredAt, boolean recoveryFromFault, String note) {

  /** No fault at all. */
  static FaultWindow none() {
    return new FaultWindow(-1, -1, -1, -1, false, null);
  }

  /** Milliseconds to recovery, or null if there was no fault or no recovery. */
  Long recoveryMs() {
    long origin = recoveryFromFault ? faultAt : healedAt;
    if (origin < 0 || recoveredAt < 0) {
      return null;
    }
    return Math.max(0, (recoveredAt - origin) / 1_000_000);
  }
}
