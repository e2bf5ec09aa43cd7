package io.github.distlock.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes {@code latest.json} (one object per target and scenario) and {@code latest.md}. */
final class ChaosReport {

  private ChaosReport() {}

  static void write(List<ScenarioResult> results, ChaosSettings settings, String mode, Path directory) throws IOException {
    Files.createDirectories(directory);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(directory.resolve("latest.json"), json.writeValueAsString(results) + "\n");
    Files.writeString(directory.resolve("latest.md"), markdown(results, settings, mode));
  }

  static String markdown(List<ScenarioResult> results, ChaosSettings settings, String mode) {
    StringBuilder md = new StringBuilder();
    md.append("# distlock chaos run (").append(mode).append(")\n\n");
    md.append("- when: ").append(Instant.now()).append('\n');
    md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(", Java ").append(System.getProperty("java.version")).append('\n');
    md.append("- workload: ").append(settings.processes()).append(" worker JVMs x ").append(settings.threads())
        .append(" threads on one lock, TTL ").append(settings.ttl().toMillis()).append(" ms (auto-renewed), baseline ")
        .append(settings.baseline().toMillis()).append(" ms before each fault, ").append(settings.settle().toMillis())
        .append(" ms after\n\n");
    md.append("Columns: acq = critical sections; ovl = overlapping pairs; lost upd = unprotected-counter updates overwritten; ")
        .append("fenced ok/rej = fenced-register writes accepted/rejected; stale ok = stale writes accepted (must be 0); ")
        .append("ack miss = acknowledged writes missing (must be 0); dup/order = duplicate tokens / token order violations (must be 0); ")
        .append("leases lost = `lost()` completions; victim = lost signalled / isHeld at end / late write rejected; ")
        .append("recovery = ms until another worker held the lock.\n\n");
    md.append("| target | scenario | acq | ovl | lost upd | fenced ok/rej | stale ok | ack miss | dup/order | leases lost | victim | recovery ms | errors |\n");
    md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|\n");
    for (ScenarioResult r : results) {
      if (!"ran".equals(r.status())) {
        md.append("| ").append(r.target()).append(" | ").append(r.scenario()).append(" | n/a: ").append(r.note())
            .append(" |||||||||||\n");
        continue;
      }
      md.append("| ").append(r.target())
          .append(" | ").append(r.scenario())
          .append(" | ").append(r.acquisitions())
          .append(" | ").append(r.overlaps())
          .append(" | ").append(r.lostUpdates())
          .append(" | ").append(r.fencedWritesAccepted()).append('/').append(r.staleWritesRejected())
          .append(" | ").append(r.staleWritesAccepted())
          .append(" | ").append(r.acknowledgedWritesMissing())
          .append(" | ").append(r.duplicateTokens()).append('/').append(r.tokenOrderViolations())
          .append(" | ").append(counts(r.leasesLost()))
          .append(" | ").append(victim(r))
          .append(" | ").append(r.recoveryMs() == null ? "" : r.recoveryMs().toString())
          .append(" | ").append(counts(r.errors()))
          .append(" |\n");
    }
    md.append("\nTargets:\n\n");
    results.stream().map(ScenarioResult::target).distinct()
        .forEach(t -> md.append("- `").append(t).append("`: ").append(Targets.topology(t)).append('\n'));
    md.append("\nScenarios:\n\n");
    for (Scenario s : Scenario.values()) {
      md.append("- `").append(s.id()).append("`: ").append(s.description()).append('\n');
    }
    return md.toString();
  }

  private static String victim(ScenarioResult r) {
    if (r.victimToldLost() == null) {
      return "";
    }
    return "w" + r.victimProcess() + ": " + yesNo(r.victimToldLost()) + "/" + yesNo(r.victimHeldAtEnd()) + "/"
        + yesNo(r.victimLateWriteRejected());
  }

  private static String yesNo(Boolean b) {
    return Boolean.TRUE.equals(b) ? "yes" : "no";
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "0";
    }
    Map<String, Long> ordered = new LinkedHashMap<>(counts);
    return ordered.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
