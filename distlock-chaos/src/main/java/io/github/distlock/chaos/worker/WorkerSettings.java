package io.github.distlock.chaos.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one worker process does: which backend, which lock, how many threads, and where the
 * register is. Passed on the command line as {@code --name value} pairs.
 *
 * @param process the worker's index (stable across restarts of that worker)
 * @param uri the backend URI (possibly through a fault proxy)
 * @param key the one lock every worker contends for
 * @param threads worker threads in this process
 * @param ttl the lease TTL (auto-renewed by the watchdog)
 * @param operationTimeout deadline of every backend call
 * @param waitTimeout how long one acquire waits before it reports a timeout and tries again
 * @param register {@code host:port} of the coordinator's register
 */
public record WorkerSettings(
    int process,
    String uri,
    String key,
    int threads,
    Duration ttl,
    Duration operationTimeout,
    Duration waitTimeout,
    String register) {

  /** The command-line arguments that {@link #parse} reads back. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    add(args, "process", Integer.toString(process));
    add(args, "uri", uri);
    add(args, "key", key);
    add(args, "threads", Integer.toString(threads));
    add(args, "ttl-ms", Long.toString(ttl.toMillis()));
    add(args, "op-timeout-ms", Long.toString(operationTimeout.toMillis()));
    add(args, "wait-ms", Long.toString(waitTimeout.toMillis()));
    add(args, "register", register);
    return args;
  }

  /** Reads the arguments written by {@link #toArgs()}. */
  public static WorkerSettings parse(String[] args) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
      }
      map.put(args[i].substring(2), args[i + 1]);
    }
    return new WorkerSettings(
        Integer.parseInt(required(map, "process")),
        required(map, "uri"),
        required(map, "key"),
        Integer.parseInt(required(map, "threads")),
        Duration.ofMillis(Long.parseLong(required(map, "ttl-ms"))),
        Duration.ofMillis(Long.parseLong(required(map, "op-timeout-ms"))),
        Duration.ofMillis(Long.parseLong(required(map, "wait-ms"))),
        required(map, "register"));
  }

  private static void add(List<String> args, String name, String value) {
    args.add("--" + name);
    args.add(value);
  }

  private static String required(Map<String, String> map, String name) {
    String value = map.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }
}
