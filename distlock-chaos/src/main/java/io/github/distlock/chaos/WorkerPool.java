package io.github.distlock.chaos;

import io.github.distlock.chaos.worker.ChaosWorker;
import io.github.distlock.chaos.worker.WorkerSettings;
import io.github.distlock.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The worker JVMs of one backend run: starts them, freezes, kills and restarts them by index,
 * and stops them at the end. A worker's settings (its backend URI in particular) stay the same
 * across restarts.
 */
final class WorkerPool implements AutoCloseable {

  private final String classpath;
  private final Path directory;
  private final IntFunction<WorkerSettings> settings;
  private final ServerProcess[] workers;

  WorkerPool(String classpath, Path directory, int processes, IntFunction<WorkerSettings> settings) {
    this.classpath = classpath;
    this.directory = directory;
    this.settings = settings;
    this.workers = new ServerProcess[processes];
    for (int i = 0; i < processes; i++) {
      workers[i] = launch(i);
    }
  }

  private ServerProcess launch(int index) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small, fast-starting JVMs: the workload is latency-bound, not CPU-bound
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            classpath,
            ChaosWorker.class.getName()));
    command.addAll(settings.apply(index).toArgs());
    return ServerProcess.start(
        "chaos-worker-" + index, command, directory, directory.resolve("worker-" + index + ".log"));
  }

  int size() {
    return workers.length;
  }

  boolean isAlive(int index) {
    return workers[index].isAlive();
  }

  void pause(int index) {
    workers[index].pause();
  }

  void resume(int index) {
    workers[index].resume();
  }

  void kill(int index) {
    workers[index].kill();
  }

  /** Starts again every worker that has exited (after a kill). */
  void restartDead() {
    for (int i = 0; i < workers.length; i++) {
      if (!workers[i].isAlive()) {
        workers[i] = launch(i);
      }
    }
  }

  /** Exit codes of workers that exited on their own with a failure, with their log tails. */
  List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (ServerProcess w : workers) {
      w.exitCode()
          .ifPresent(
              code -> {
                if (code != 0 && code != 137) {
                  failures.add(w.name() + " exited with " + code + ":\n" + w.logTail(30));
                }
              });
    }
    return failures;
  }

  /** Waits for every worker to exit (they were told to stop), killing any that does not. */
  void awaitExit(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ServerProcess w : workers) {
      java.util.Optional<ProcessHandle> handle = ProcessHandle.of(w.pid());
      if (handle.isPresent()) {
        try {
          handle.get().onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          w.kill();
        }
      }
    }
  }

  @Override
  public void close() {
    for (ServerProcess w : workers) {
      w.kill();
    }
  }
}
