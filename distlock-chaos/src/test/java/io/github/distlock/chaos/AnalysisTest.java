package io.github.distlock.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.chaos.register.RegisterServer.AcceptedWrite;
import io.github.distlock.chaos.register.RegisterServer.CounterSnapshot;
import io.github.distlock.chaos.register.SectionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures are computed from the raw reports; each check must catch what it claims to. */
class AnalysisTest {

  private static SectionRecord section(String lease, long token, long start, long end) {
    return new SectionRecord(0, lease, token, start, end, end + 1, true, true, "true");
  }

  private static final CounterSnapshot FROM = new CounterSnapshot(0, 0, 0);
  private static final CounterSnapshot TO = new CounterSnapshot(0, 0, 1_000);

  @Test
  void disjointSectionsDoNotOverlap() {
    assertThat(Analysis.overlaps(List.of(section("a", 1, 0, 10), section("b", 2, 12, 20), section("c", 3, 21, 30))))
        .isZero();
  }

  @Test
  void countsEveryOverlappingPair() {
    // a spans b and c (a paused holder); b and c are disjoint
    assertThat(Analysis.overlaps(List.of(section("a", 1, 0, 100), section("b", 2, 10, 20), section("c", 3, 30, 40))))
        .isEqualTo(2);
  }

  @Test
  void aLaterGrantWithASmallerOrEqualTokenIsAnOrderViolation() {
    List<SectionRecord> ordered = List.of(section("a", 5, 0, 10), section("b", 6, 20, 30));
    assertThat(Analysis.tokenOrderViolations(ordered)).isZero();
    List<SectionRecord> repeated = List.of(section("a", 5, 0, 10), section("b", 5, 20, 30), section("c", 4, 40, 50));
    assertThat(Analysis.tokenOrderViolations(repeated)).isEqualTo(2);
  }

  @Test
  void overlappingGrantsAreNotOrderedByTheCheck() {
    // b started before a was released: no real-time order between them
    assertThat(Analysis.tokenOrderViolations(List.of(section("a", 5, 0, 100), section("b", 4, 50, 60)))).isZero();
  }

  @Test
  void duplicateTokensAcrossLeasesAreCounted() {
    assertThat(Analysis.duplicateTokens(List.of(section("a", 7, 0, 1), section("b", 7, 2, 3), section("c", 8, 4, 5))))
        .isEqualTo(1);
  }

  @Test
  void staleAcceptedWritesAreRecomputedFromTheLog() {
    List<AcceptedWrite> fine = List.of(new AcceptedWrite(1, "a", 1), new AcceptedWrite(1, "a", 2), new AcceptedWrite(3, "b", 3));
    assertThat(Analysis.staleAccepted(fine, FROM, TO)).isZero();
    List<AcceptedWrite> stale = List.of(new AcceptedWrite(3, "b", 1), new AcceptedWrite(2, "a", 2), new AcceptedWrite(3, "c", 3));
    assertThat(Analysis.staleAccepted(stale, FROM, TO)).isEqualTo(2);
  }
}
