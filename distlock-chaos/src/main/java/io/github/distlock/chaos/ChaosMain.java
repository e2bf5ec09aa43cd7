package io.github.distlock.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code scripts/chaos}: runs the reliability suite and writes {@code chaos/results/latest.json}
 * and {@code latest.md}.
 *
 * <pre>
 *   --quick               short windows (the CI run)
 *   --only redis,etcd-txn targets (default: all)
 *   --scenarios a,b       scenarios by id (default: all)
 *   --out DIR             results folder (default: chaos/results)
 * </pre>
 *
 * Needs system properties {@code chaos.classes} and {@code chaos.classpathFile} for the worker
 * JVMs. Exits 1 when a must-be-zero figure is not zero.
 */
public final class ChaosMain {

  private ChaosMain() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    List<String> targets = Targets.ALL;
    List<Scenario> scenarios = Arrays.asList(Scenario.values());
    Path out = Path.of("chaos", "results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          quick = true;
          break;
        case "--only":
          targets = List.of(value(args, ++i, "--only").split(","));
          targets.forEach(t -> {
            if (!Targets.ALL.contains(t)) {
              throw new IllegalArgumentException("--only: unknown target " + t + " (known: " + Targets.ALL + ")");
            }
          });
          break;
        case "--scenarios":
          List<Scenario> chosen = new ArrayList<>();
          for (String id : value(args, ++i, "--scenarios").split(",")) {
            chosen.add(Scenario.byId(id));
          }
          scenarios = chosen;
          break;
        case "--out":
          out = Path.of(value(args, ++i, "--out"));
          break;
        default:
          throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    ChaosSettings settings = quick ? ChaosSettings.quick() : ChaosSettings.full();
    String classpath =
        ChaosSuite.classpath(
            Path.of(System.getProperty("chaos.classes")), Path.of(System.getProperty("chaos.classpathFile")));
    Path work = Files.createTempDirectory("distlock-chaos-");
    List<ScenarioResult> results = ChaosSuite.run(settings, targets, scenarios, classpath, work);
    ChaosReport.write(results, settings, quick ? "quick" : "full", out);
    System.out.println(Files.readString(out.resolve("latest.md")));
    List<String> broken = Invariants.violations(results);
    if (!broken.isEmpty()) {
      System.err.println("INVARIANTS BROKEN:\n  " + String.join("\n  ", broken));
      System.exit(1);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
