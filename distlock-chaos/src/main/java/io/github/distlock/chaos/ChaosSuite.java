package io.github.distlock.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the chosen scenarios on the chosen targets, one target at a time. */
final class ChaosSuite {

  /** The one lock every worker contends for. */
  static final String KEY = "chaos-lock";

  private ChaosSuite() {}

  /**
   * @param settings quick or full
   * @param targets names from {@link Targets#ALL}
   * @param scenarios the scenarios, in order
   * @param classpath the worker JVMs' classpath
   * @param directory where worker logs go
   * @return one result per target and scenario
   */
  static List<ScenarioResult> run(
      ChaosSettings settings, List<String> targets, List<Scenario> scenarios, String classpath, Path directory)
      throws Exception {
    List<ScenarioResult> results = new ArrayList<>();
    for (String name : targets) {
      Path dir = Files.createDirectories(directory.resolve(name));
      try (ChaosTarget target = Targets.start(name, KEY);
          BackendRun run = new BackendRun(target, settings, classpath, dir, KEY)) {
        results.addAll(run.run(scenarios));
      }
    }
    return results;
  }

  /** {@code classes:dependencies} from a build's output folder and its written classpath file. */
  static String classpath(Path classes, Path classpathFile) throws java.io.IOException {
    return classes.toAbsolutePath() + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
  }
}
