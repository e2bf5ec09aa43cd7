package io.github.distlock.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The quick chaos run ({@code scripts/chaos --quick}) inside {@code scripts/test}: every scenario on
 * every target with real servers and worker JVMs, asserting the invariants (zero stale writes
 * accepted, zero acknowledged writes missing, unique and ordered tokens, no overlap or loss without
 * a lease-breaking fault, a frozen holder told of its loss and fenced off, recovery after every
 * fault). The table lands in {@code target/chaos-results/latest.md}. Two targets run at a time
 * (see the Failsafe configuration): each has its own servers, ports, register and workers.
 */
@Execution(ExecutionMode.CONCURRENT)
class ChaosQuickIT {

  private static final List<ScenarioResult> ALL = new ArrayList<>();

  static List<String> targets() {
    return Targets.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void invariantsHoldUnderEveryFault(String target) throws Exception {
    String classpath =
        ChaosSuite.classpath(
            Path.of(System.getProperty("chaos.classes")), Path.of(System.getProperty("chaos.classpathFile")));
    Path work = Files.createTempDirectory("distlock-chaos-" + target + "-");
    List<ScenarioResult> results =
        ChaosSuite.run(ChaosSettings.quick(), List.of(target), Arrays.asList(Scenario.values()), classpath, work);
    synchronized (ALL) {
      ALL.addAll(results);
    }
    assertThat(Invariants.violations(results))
        .as(() -> ChaosReport.markdown(results, ChaosSettings.quick(), "quick") + "\nworker logs: " + work)
        .isEmpty();
  }

  @AfterAll
  static void writeReport() throws Exception {
    ChaosReport.write(ALL, ChaosSettings.quick(), "quick", Path.of(System.getProperty("chaos.results")));
  }
}
