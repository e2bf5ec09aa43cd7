package io.github.distlock.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What must hold in every run, whatever the faults: the safety claims of fencing, and the
 * behaviour each scenario promises. Shared by {@code scripts/chaos} and the CI test.
 */
final class Invariants {

  private Invariants() {}

  /** Every broken invariant, as a readable line; empty when all hold. */
  static List<String> violations(List<ScenarioResult> results) {
    List<String> broken = new ArrayList<>();
    for (ScenarioResult r : results) {
      if (!"ran".equals(r.status())) {
        continue;
      }
      String where = r.target() + " " + r.scenario() + ": ";
      check(broken, r.staleWritesAccepted() == 0, where + r.staleWritesAccepted() + " stale writes accepted");
      check(broken, r.acknowledgedWritesMissing() == 0, where + r.acknowledgedWritesMissing() + " acknowledged writes missing");
      check(broken, r.duplicateTokens() == 0, where + r.duplicateTokens() + " duplicate fencing tokens");
      check(broken, r.tokenOrderViolations() == 0, where + r.tokenOrderViolations() + " token order violations");
      check(broken, r.acquisitions() > 0, where + "no acquisitions");
      switch (Scenario.byId(r.scenario())) {
        case NO_FAULTS:
        case SERVER_PAUSED_SHORT:
        case NETWORK_LATENCY:
          check(broken, r.overlaps() == 0, where + r.overlaps() + " overlapping critical sections without a fault that breaks leases");
          check(broken, r.lostUpdates() == 0, where + r.lostUpdates() + " lost updates without a fault that breaks leases");
          check(broken, r.leasesLostTotal() == 0, where + "leases lost without a fault that breaks leases: " + r.leasesLost());
          break;
        case HOLDER_PAUSED:
          check(broken, Boolean.TRUE.equals(r.victimToldLost()), where + "the frozen holder's lost() did not complete");
          check(broken, Boolean.FALSE.equals(r.victimHeldAtEnd()), where + "the frozen holder still saw isHeld() true");
          check(broken, Boolean.TRUE.equals(r.victimLateWriteRejected()), where + "the frozen holder's late write was not rejected");
          check(broken, r.recoveryMs() != null, where + "no other worker got the lock");
          break;
        default:
          check(broken, r.recoveryMs() != null, where + "no worker got the lock after the fault");
      }
    }
    return broken;
  }

  private static void check(List<String> broken, boolean holds, String message) {
    if (!holds) {
      broken.add(message);
    }
  }
}
