package io.github.distlock.chaos;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The figures of one scenario on one target: the row of {@code chaos/results/latest.json}.
 *
 * @param target the deployment, e.g. {@code redis-cluster}
 * @param backend {@code redis} or {@code etcd}
 * @param scenario the scenario's name
 * @param status {@code ran}, or {@code n/a} with {@link #note()} saying why
 * @param note why a scenario does not apply, or what was observed when it failed to
 * @param processes worker JVMs
 * @param threadsPerProcess threads in each
 * @param ttlMs the lease TTL
 * @param durationMs the scenario's window
 * @param acquisitions critical sections that started in the window and were reported
 * @param overlaps pairs of critical sections (of different leases) that overlapped in time
 * @param lostUpdates increments of the unprotected counter that were overwritten
 * @param fencedWritesAccepted writes the fenced register accepted
 * @param staleWritesRejected writes the fenced register refused (a newer token had written)
 * @param staleWritesAccepted accepted writes with a token below the newest already accepted, or
 *     equal to it from another lease (must be 0)
 * @param acknowledgedWritesMissing writes a worker saw acknowledged that the register lacks (must
 *     be 0)
 * @param duplicateTokens fencing tokens handed to more than one lease (must be 0)
 * @param tokenOrderViolations pairs where a lease acquired after another was released has a token
 *     that is not larger (must be 0)
 * @param leasesLost leases whose {@code lost()} completed, by reason
 * @param lossDetails each lost lease: id, reason, how long its section lasted, when the loss was
 *     signalled, and what its release returned
 * @param victimProcess the worker a holder or network fault hit, or null
 * @param victimToldLost whether the victim's {@code lost()} completed for the lease it held
 * @param victimHeldAtEnd {@code isHeld()} of that lease at the end of its critical section
 * @param victimLateWriteRejected whether the fenced register refused the victim's write
 * @param recoveryMs from the fault (holder faults) or from healing (server faults) to the next
 *     acquisition by another worker; null when the scenario has no fault
 * @param errors failed acquires and releases by type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScenarioResult(
    String target,
    String backend,
    String scenario,
    String status,
    String note,
    int processes,
    int threadsPerProcess,
    long ttlMs,
    long durationMs,
    long acquisitions,
    long overlaps,
    long lostUpdates,
    long fencedWritesAccepted,
    long staleWritesRejected,
    long staleWritesAccepted,
    long acknowledgedWritesMissing,
    long duplicateTokens,
    long tokenOrderViolations,
    Map<String, Long> leasesLost,
    List<String> lossDetails,
    Integer victimProcess,
    Boolean victimToldLost,
    Boolean victimHeldAtEnd,
    Boolean victimLateWriteRejected,
    Long recoveryMs,
    Map<String, Long> errors) {

  /** A scenario that does not apply to a target, with the reason. */
  static ScenarioResult notApplicable(ChaosTarget target, Scenario scenario, String why) {
    return new ScenarioResult(
        target.name(), target.backend(), scenario.id(), "n/a", why, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        Map.of(), List.of(), null, null, null, null, null, Map.of());
  }

  /** Total leases lost, any reason. */
  long leasesLostTotal() {
    return leasesLost.values().stream().mapToLong(Long::longValue).sum();
  }
}
