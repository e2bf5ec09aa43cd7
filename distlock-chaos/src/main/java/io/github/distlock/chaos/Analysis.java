package io.github.distlock.chaos;

import io.github.distlock.chaos.register.RegisterServer.AcceptedWrite;
import io.github.distlock.chaos.register.RegisterServer.CounterSnapshot;
import io.github.distlock.chaos.register.RegisterServer.ErrorReport;
import io.github.distlock.chaos.register.RegisterServer.LossReport;
import io.github.distlock.chaos.register.SectionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what the register saw during one scenario's window into its figures. Pure computation over
 * the reports: every check is recomputed here from the raw records, independently of the register's
 * own accept/reject decisions.
 */
final class Analysis {

  private Analysis() {}

  /** Everything the register logged, copied once at the end of a scenario. */
  record Log(
      List<SectionRecord> sections,
      List<AcceptedWrite> accepted,
      List<ErrorReport> errors,
      List<LossReport> losses) {}

  static ScenarioResult analyse(
      ChaosTarget target,
      Scenario scenario,
      ChaosSettings settings,
      Log log,
      CounterSnapshot from,
      CounterSnapshot to,
      FaultWindow fault) {
    List<SectionRecord> window = new ArrayList<>();
    for (SectionRecord s : log.sections()) {
      if (s.startNanos() - from.atNanos() >= 0 && s.startNanos() - to.atNanos() < 0) {
        window.add(s);
      }
    }
    window.sort(Comparator.comparingLong(SectionRecord::startNanos));

    Map<String, Long> errors = new TreeMap<>();
    for (ErrorReport e : log.errors()) {
      if (inWindow(e.atNanos(), from, to)) {
        errors.merge(e.type(), 1L, Long::sum);
      }
    }
    for (SectionRecord s : window) {
      if (s.release().startsWith("release:")) {
        errors.merge(s.release(), 1L, Long::sum);
      }
    }
    Set<String> windowLeases = new HashSet<>();
    window.forEach(s -> windowLeases.add(s.leaseId()));
    Map<String, SectionRecord> byLease = new HashMap<>();
    window.forEach(s -> byLease.put(s.leaseId(), s));
    Map<String, Long> lost = new TreeMap<>();
    Set<String> lostLeases = new HashSet<>();
    List<String> lossDetails = new ArrayList<>();
    for (LossReport l : log.losses()) {
      SectionRecord s = byLease.get(l.leaseId());
      if (s != null) {
        lost.merge(l.reason(), 1L, Long::sum);
        lostLeases.add(l.leaseId());
        lossDetails.add(
            String.format(
                "%s %s: held %d ms, told %d ms after acquiring, release: %s",
                l.leaseId(), l.reason(), (s.endNanos() - s.startNanos()) / 1_000_000,
                (l.atNanos() - s.startNanos()) / 1_000_000, s.release()));
      }
    }

    Set<String> acceptedLeases = new HashSet<>();
    log.accepted().forEach(w -> acceptedLeases.add(w.leaseId()));
    long acceptedInWindow = window.stream().filter(SectionRecord::fencedWriteAccepted).count();
    long rejectedInWindow = window.size() - acceptedInWindow;
    long missing =
        window.stream().filter(s -> s.fencedWriteAccepted() && !acceptedLeases.contains(s.leaseId())).count();

    SectionRecord victim = victimSection(window, fault);
    return new ScenarioResult(
        target.name(),
        target.backend(),
        scenario.id(),
        "ran",
        fault.note(),
        settings.processes(),
        settings.threads(),
        settings.ttl().toMillis(),
        (to.atNanos() - from.atNanos()) / 1_000_000,
        window.size(),
        overlaps(window),
        to.sets() - from.sets() - (to.value() - from.value()),
        acceptedInWindow,
        rejectedInWindow,
        staleAccepted(log.accepted(), from, to),
        missing,
        duplicateTokens(window),
        tokenOrderViolations(window),
        lost,
        lossDetails,
        fault.victim() >= 0 ? fault.victim() : null,
        victim == null ? null : lostLeases.contains(victim.leaseId()),
        victim == null ? null : victim.heldAtEnd(),
        victim == null ? null : !victim.fencedWriteAccepted(),
        fault.recoveryMs(),
        errors);
  }

  private static boolean inWindow(long at, CounterSnapshot from, CounterSnapshot to) {
    return at - from.atNanos() >= 0 && at - to.atNanos() < 0;
  }

  /** The victim's section that spans the fault (it was inside it when the fault hit). */
  private static SectionRecord victimSection(List<SectionRecord> window, FaultWindow fault) {
    if (fault.victim() < 0) {
      return null;
    }
    for (SectionRecord s : window) {
      if (s.process() == fault.victim() && s.startNanos() - fault.faultAt() <= 0 && s.endNanos() - fault.faultAt() >= 0) {
        return s;
      }
    }
    return null;
  }

  /** Pairs of sections that overlap in time: sweep by start, keeping the ends still open. */
  static long overlaps(List<SectionRecord> byStart) {
    PriorityQueue<Long> openEnds = new PriorityQueue<>();
    long pairs = 0;
    for (SectionRecord s : byStart) {
      while (!openEnds.isEmpty() && openEnds.peek() - s.startNanos() <= 0) {
        openEnds.poll();
      }
      pairs += openEnds.size();
      openEnds.add(s.endNanos());
    }
    return pairs;
  }

  /** Accepted writes whose token is below the newest accepted before them, or equal from another lease. */
  static long staleAccepted(List<AcceptedWrite> accepted, CounterSnapshot from, CounterSnapshot to) {
    long stale = 0;
    long max = Long.MIN_VALUE;
    String maxLease = "";
    for (AcceptedWrite w : accepted) {
      boolean bad = w.token() < max || (w.token() == max && !w.leaseId().equals(maxLease));
      if (bad && inWindow(w.atNanos(), from, to)) {
        stale++;
      }
      if (w.token() >= max) {
        max = w.token();
        maxLease = w.leaseId();
      }
    }
    return stale;
  }

  /** Tokens that more than one lease received. */
  static long duplicateTokens(List<SectionRecord> window) {
    Map<Long, String> first = new HashMap<>();
    long duplicates = 0;
    for (SectionRecord s : window) {
      String previous = first.putIfAbsent(s.token(), s.leaseId());
      if (previous != null && !previous.equals(s.leaseId())) {
        duplicates++;
      }
    }
    return duplicates;
  }

  /**
   * Sections B whose token is not larger than that of some section A released before B started:
   * a grant that follows another in real time must carry a larger token.
   */
  static long tokenOrderViolations(List<SectionRecord> byStart) {
    List<SectionRecord> byRelease = new ArrayList<>(byStart);
    byRelease.sort(Comparator.comparingLong(SectionRecord::releasedNanos));
    long violations = 0;
    long maxReleasedToken = Long.MIN_VALUE;
    int r = 0;
    for (SectionRecord b : byStart) {
      while (r < byRelease.size() && byRelease.get(r).releasedNanos() - b.startNanos() < 0) {
        maxReleasedToken = Math.max(maxReleasedToken, byRelease.get(r).token());
        r++;
      }
      if (b.token() <= maxReleasedToken) {
        violations++;
      }
    }
    return violations;
  }
}
