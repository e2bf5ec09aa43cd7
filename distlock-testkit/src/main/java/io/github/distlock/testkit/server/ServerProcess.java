package io.github.distlock.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One running operating-system process of a server, with the fault-injection operations the
 * fixtures need: graceful {@link #stop()}, {@link #kill()} ({@code SIGKILL}), {@link #pause()}
 * ({@code SIGSTOP}) and {@link #resume()} ({@code SIGCONT}).
 *
 * <p>Standard output and standard error go (appended) to one log file, readable with {@link
 * #logTail(int)} for failure messages. Every started process is killed when the JVM exits, even if
 * nobody closes its fixture. One instance is one process: a restart starts a new {@code
 * ServerProcess}. Instances are safe to use from several threads.
 */
public final class ServerProcess {

  /** How long {@link #stop()} waits for a graceful exit before it kills. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);
  private static final Path KILL_BINARY =
      Files.isExecutable(Path.of("/bin/kill")) ? Path.of("/bin/kill") : Path.of("/usr/bin/kill");
  private static final int LOG_TAIL_MAX_BYTES = 256 * 1024;

  private final String name;
  private final List<String> command;
  private final Process process;
  private final Path logFile;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean paused;

  private ServerProcess(String name, List<String> command, Process process, Path logFile) {
    this.name = name;
    this.command = command;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} in {@code workDir}, appending its stdout and stderr to {@code logFile}.
   * Returns at once; waiting until the server is ready is the caller's job.
   *
   * @param name a short label for messages, e.g. {@code "redis-server"}
   * @param command the executable and its arguments
   * @param workDir the working directory (usually the server's temp dir)
   * @param logFile where output goes; created if missing, appended to if present
   * @throws UncheckedIOException if the process cannot be started
   */
  public static ServerProcess start(String name, List<String> command, Path workDir, Path logFile) {
    return start(name, command, workDir, logFile, env -> {});
  }

  /** Same as {@link #start(String, List, Path, Path)}, editing the inherited environment first. */
  static ServerProcess start(
      String name,
      List<String> command,
      Path workDir,
      Path logFile,
      Consumer<Map<String, String>> environment) {
    List<String> copy = List.copyOf(command);
    try {
      Files.writeString(
          logFile,
          "=== " + Instant.now() + " starting: " + String.join(" ", copy) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(copy)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      environment.accept(builder.environment());
      ServerProcess started = new ServerProcess(name, copy, builder.start(), logFile);
      ProcessReaper.track(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", copy), e);
    }
  }

  /** The label given at start, for messages. */
  public String name() {
    return name;
  }

  /** The command line this process was started with. */
  public List<String> command() {
    return command;
  }

  /** The operating-system process id, e.g. to check with {@link ProcessHandle#of(long)}. */
  public long pid() {
    return process.pid();
  }

  /** The file that receives the process's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the process has not exited yet (a paused process is alive). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether {@link #pause()} stopped the process and no {@link #resume()} or exit followed. */
  public boolean isPaused() {
    return paused && process.isAlive();
  }

  /** The exit code once the process has exited; empty while it runs. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Stops the process gracefully, waiting up to {@link #DEFAULT_STOP_TIMEOUT}; see {@link
   * #stop(Duration)}.
   */
  public void stop() {
    stop(DEFAULT_STOP_TIMEOUT);
  }

  /**
   * Stops the process gracefully: resumes it if paused, sends {@code SIGTERM} and waits up to
   * {@code timeout} for it to exit, then kills it if it is still running. Use it for an orderly
   * shutdown (a server may flush or hand over leadership). Does nothing if it has already exited.
   */
  public void stop(Duration timeout) {
    lock.lock();
    try {
      if (!process.isAlive()) {
        return;
      }
      resume();
      process.destroy();
      if (!waitForExit(timeout)) {
        killLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Kills the process with {@code SIGKILL} and waits until it has exited. Use it to simulate a
   * crash: the server gets no chance to clean up. Works on a paused process too. Does nothing if it
   * has already exited.
   *
   * @throws IllegalStateException if the process has not exited after 10 s
   */
  public void kill() {
    lock.lock();
    try {
      killLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Freezes the process with {@code SIGSTOP} and returns once the kernel reports every thread
   * stopped. Clients can still connect (the kernel accepts into the backlog) but get no answer,
   * which is what a long GC pause, a swapped-out host or a stalled VM looks like. Does nothing if
   * already paused.
   *
   * @throws IllegalStateException if the process is not running or the signal cannot be sent
   */
  public void pause() {
    lock.lock();
    try {
      if (!process.isAlive()) {
        throw new IllegalStateException("cannot pause " + this + ": it is not running");
      }
      if (paused) {
        return;
      }
      signal("STOP");
      paused = true;
      awaitStopped(true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lets a paused process run again with {@code SIGCONT} and returns once the kernel reports it
   * runnable. Does nothing if it is not paused or has exited.
   *
   * @throws IllegalStateException if the signal cannot be sent
   */
  public void resume() {
    lock.lock();
    try {
      if (!paused) {
        return;
      }
      if (process.isAlive()) {
        signal("CONT");
        awaitStopped(false);
      }
      paused = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The last {@code lines} lines of the log file (at most the last 256 KiB of it), for failure
   * messages. Never throws: a missing or unreadable log gives a short note instead.
   */
  public String logTail(int lines) {
    return logTail(logFile, lines);
  }

  /** Same as {@link #logTail(int)} for any file; used when no process is running. */
  static String logTail(Path file, int lines) {
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      long size = channel.size();
      int length = (int) Math.min(size, LOG_TAIL_MAX_BYTES);
      channel.position(size - length);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // keep reading until the buffer is full or the file ends
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      List<String> all = Arrays.asList(text.split("\\R", -1));
      int end = all.size();
      if (end > 0 && all.get(end - 1).isEmpty()) {
        end--;
      }
      return String.join(System.lineSeparator(), all.subList(Math.max(0, end - lines), end));
    } catch (NoSuchFileException e) {
      return "(no log file " + file + ")";
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }

  /** Runs {@code action} once the process has exited. */
  void onExit(Runnable action) {
    process.onExit().thenRun(action);
  }

  /**
   * Used by the shutdown hook: no lock (a test thread may hold it while the JVM exits), best effort.
   */
  void killAtShutdown() {
    if (!process.isAlive()) {
      return;
    }
    if (paused) {
      try {
        ExternalCommand.run(List.of(KILL_BINARY.toString(), "-CONT", Long.toString(pid())), SIGNAL_TIMEOUT);
      } catch (RuntimeException ignored) {
        // SIGKILL below ends a stopped process too
      }
    }
    process.destroyForcibly();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void killLocked() {
    if (process.isAlive()) {
      process.destroyForcibly();
      if (!waitForExit(KILL_TIMEOUT)) {
        throw new IllegalStateException(
            this + " still running " + KILL_TIMEOUT.toSeconds() + " s after SIGKILL");
      }
    }
    paused = false;
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + this + " to exit", e);
    }
  }

  private void signal(String signal) {
    ExternalCommand.Result result =
        ExternalCommand.run(
            List.of(KILL_BINARY.toString(), "-" + signal, Long.toString(pid())), SIGNAL_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "kill -"
              + signal
              + " "
              + pid()
              + " ("
              + name
              + ") failed with exit code "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
    }
  }

  /**
   * Waits until every thread of the process is (or, with {@code stopped == false}, the process is
   * no longer) in state {@code T}, reading {@code /proc}. Without {@code /proc} it returns at once.
   */
  private void awaitStopped(boolean stopped) {
    Path tasks = Path.of("/proc", Long.toString(pid()), "task");
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    long deadline = System.nanoTime() + SIGNAL_TIMEOUT.toNanos();
    while (process.isAlive()) {
      List<Character> states = threadStates(tasks);
      boolean allStopped = !states.isEmpty() && states.stream().allMatch(s -> s == 'T' || s == 't');
      boolean noneStopped = states.stream().noneMatch(s -> s == 'T' || s == 't');
      if (stopped ? allStopped : noneStopped) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            this + " did not " + (stopped ? "stop" : "continue") + " within "
                + SIGNAL_TIMEOUT.toSeconds() + " s; thread states " + states);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + this, e);
      }
    }
  }

  private static List<Character> threadStates(Path tasks) {
    List<Character> states = new ArrayList<>();
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
          int afterComm = stat.lastIndexOf(')');
          if (afterComm >= 0 && afterComm + 2 < stat.length()) {
            states.add(stat.charAt(afterComm + 2));
          }
        } catch (IOException ignored) {
          // the thread exited while we looked
        }
      }
    } catch (IOException ignored) {
      // the process exited while we looked
    }
    return states;
  }
}
