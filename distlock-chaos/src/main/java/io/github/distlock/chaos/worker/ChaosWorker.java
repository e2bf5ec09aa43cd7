package io.github.distlock.chaos.worker;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLockException;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.chaos.register.LineConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process of the chaos workload. Each of its threads loops: acquire the lock, then
 * inside the critical section read the unprotected counter ({@code GET}), write it back plus one
 * ({@code SET}), write to the fenced register with the lease's fencing token ({@code WRITE}),
 * release, and report the section's {@code System.nanoTime()} bounds ({@code REC}). It stops
 * when the register answers {@code STOP}. Lease losses are reported as they happen ({@code
 * LOST}).
 *
 * <p>The coordinator injects process faults at the {@code GET}: it may freeze (SIGSTOP) or kill
 * this process before answering, i.e. while a thread holds the lock between its read and its
 * writes, which is where a pause hurts an unfenced read-modify-write.
 */
public final class ChaosWorker {

  /** Pause after a failed acquire before the next attempt. */
  private static final Duration ERROR_BACKOFF = Duration.ofMillis(20);

  private static final Logger log = LoggerFactory.getLogger(ChaosWorker.class);

  private final WorkerSettings settings;
  private final DistributedLock locks;
  private final LineConnection events;
  private final ReentrantLock eventsLock = new ReentrantLock();

  private ChaosWorker(WorkerSettings settings, DistributedLock locks, LineConnection events) {
    this.settings = settings;
    this.locks = locks;
    this.events = events;
  }

  /**
   * Runs a worker until the register says stop.
   *
   * @param args {@link WorkerSettings#toArgs()}
   */
  public static void main(String[] args) throws InterruptedException {
    WorkerSettings settings = WorkerSettings.parse(args);
    LockClientOptions options =
        LockClientOptions.builder().operationTimeout(settings.operationTimeout()).build();
    try (DistributedLock locks = DistributedLocks.open(settings.uri(), options);
        LineConnection events = LineConnection.open(settings.register(), registerTimeout())) {
      events.call("HELLO " + settings.process() + " " + ProcessHandle.current().pid());
      new ChaosWorker(settings, locks, events).run();
    }
    System.exit(0);
  }

  /** Replies can be held back while a fault is injected into this process: be patient. */
  private static Duration registerTimeout() {
    return Duration.ofMinutes(2);
  }

  private void run() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < settings.threads(); t++) {
      int index = t;
      Thread thread = new Thread(() -> loop(index), "worker-" + settings.process() + "-" + t);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private void loop(int thread) {
    LockOptions options =
        LockOptions.builder()
            .ttl(settings.ttl())
            .autoRenew(true)
            .waitTimeout(settings.waitTimeout())
            .build();
    // unique across restarts of this worker index: the pid tells incarnations apart
    String prefix = settings.process() + "." + ProcessHandle.current().pid() + "." + thread + ".";
    long sequence = 0;
    try (LineConnection register = LineConnection.open(settings.register(), registerTimeout())) {
      while (true) {
        LockLease lease;
        try {
          lease = locks.acquire(settings.key(), options);
        } catch (DistributedLockException e) {
          log.warn("acquire failed", e);
          if ("STOP".equals(register.call("ERR " + settings.process() + " acquire:" + e.getClass().getSimpleName()))) {
            return;
          }
          // pacing, as a real client would back off: without it a fast-failing store is hammered
          Thread.sleep(ERROR_BACKOFF.toMillis());
          continue;
        }
        long start = System.nanoTime();
        String leaseId = prefix + sequence++;
        long token = lease.fencingToken();
        lease.lost().thenAccept(loss -> event("LOST " + settings.process() + " " + leaseId + " " + loss.reason()));
        long value = Long.parseLong(register.call("GET " + settings.process()));
        register.call("SET " + (value + 1));
        boolean accepted = register.call("WRITE " + token + " " + leaseId).startsWith("OK");
        boolean held = lease.isHeld();
        long end = System.nanoTime();
        String released;
        try {
          released = Boolean.toString(lease.release());
        } catch (DistributedLockException e) {
          log.warn("release failed", e);
          released = "release:" + e.getClass().getSimpleName();
        }
        long releasedAt = System.nanoTime();
        String reply =
            register.call(
                String.join(
                    " ",
                    "REC",
                    Integer.toString(settings.process()),
                    leaseId,
                    Long.toString(token),
                    Long.toString(start),
                    Long.toString(end),
                    Long.toString(releasedAt),
                    Boolean.toString(accepted),
                    Boolean.toString(held),
                    released));
        if ("STOP".equals(reply)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void event(String line) {
    eventsLock.lock();
    try {
      events.call(line + " " + System.nanoTime());
    } catch (RuntimeException e) {
      // the coordinator is gone; the main loop will notice
    } finally {
      eventsLock.unlock();
    }
  }
}
