package io.github.distlock.chaos.register;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The coordinator's side of the workload, on a loopback port: the shared state the workers
 * write to, and the log of everything they report.
 *
 * <ul>
 *   <li>An <b>unprotected counter</b> ({@code GET}, {@code SET v}): no checks at all, so a
 *       read-modify-write from a holder whose lease ran out can overwrite a newer value; such lost
 *       updates are counted.
 *   <li>A <b>fenced register</b> ({@code WRITE token leaseId}): accepts a write only when its
 *       token is larger than the largest accepted so far, or equal to it from the same lease
 *       (a holder may write more than once). Every accepted write is logged in order.
 *   <li>Reports: {@code REC} (a finished critical section), {@code ERR} (a failed acquire),
 *       {@code LOST} (a lease loss), {@code HELLO} (a worker started).
 * </ul>
 *
 * <p>A fault can be armed for one worker: the next {@code GET} from it runs the fault action
 * (freeze or kill that process, black-hole its network) before the reply, so the fault lands
 * while that worker holds the lock between its read and its writes.
 */
public final class RegisterServer implements AutoCloseable {

  /** A write the fenced register accepted, in acceptance order. */
  public record AcceptedWrite(long token, String leaseId, long atNanos) {}

  /** An acquire or release failure reported by a worker. */
  public record ErrorReport(int process, String type, long atNanos) {}

  /** A lease loss reported by a worker. */
  public record LossReport(int process, String leaseId, String reason, long atNanos) {}

  /** Counter state at one instant, for per-scenario differences. */
  public record CounterSnapshot(long value, long sets, long atNanos) {}

  private final ServerSocket listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

  private long counter;
  private long sets;
  private long maxToken = Long.MIN_VALUE;
  private String maxLeaseId = "";
  private long rejectedWrites;
  private final List<AcceptedWrite> accepted = new ArrayList<>();
  private final List<SectionRecord> sections = new ArrayList<>();
  private final List<ErrorReport> errors = new ArrayList<>();
  private final List<LossReport> losses = new ArrayList<>();
  private final Map<Integer, Long> openSections = new HashMap<>();
  private final Map<Integer, Long> pids = new HashMap<>();
  private boolean stopping;
  private int armedProcess = -1;
  private IntConsumer armedAction;
  private volatile boolean closed;

  private RegisterServer() throws IOException {
    listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "register-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a register on a free loopback port. */
  public static RegisterServer start() {
    try {
      return new RegisterServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the register's port", e);
    }
  }

  /** {@code host:port} for the workers. */
  public String address() {
    return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
  }

  /**
   * Arms a fault: the next {@code GET} from worker {@code process} runs {@code action} (given the
   * process index) before it is answered. Replaces an armed fault that has not fired.
   */
  public void arm(int process, IntConsumer action) {
    lock.lock();
    try {
      armedProcess = process;
      armedAction = action;
    } finally {
      lock.unlock();
    }
  }

  /** From now on, every worker is told to stop at its next report. */
  public void stopWorkers() {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The counter and how many {@code SET}s it has seen, now. */
  public CounterSnapshot counter() {
    lock.lock();
    try {
      return new CounterSnapshot(counter, sets, System.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  /** Fenced writes rejected so far. */
  public long rejectedWrites() {
    lock.lock();
    try {
      return rejectedWrites;
    } finally {
      lock.unlock();
    }
  }

  /** A copy of every accepted fenced write, in order. */
  public List<AcceptedWrite> acceptedWrites() {
    lock.lock();
    try {
      return List.copyOf(accepted);
    } finally {
      lock.unlock();
    }
  }

  /** A copy of every section reported so far. */
  public List<SectionRecord> sections() {
    lock.lock();
    try {
      return List.copyOf(sections);
    } finally {
      lock.unlock();
    }
  }

  /** A copy of every error reported so far. */
  public List<ErrorReport> errors() {
    lock.lock();
    try {
      return List.copyOf(errors);
    } finally {
      lock.unlock();
    }
  }

  /** A copy of every lease loss reported so far. */
  public List<LossReport> losses() {
    lock.lock();
    try {
      return List.copyOf(losses);
    } finally {
      lock.unlock();
    }
  }

  /** The pid each worker index reported at its latest start. */
  public Map<Integer, Long> pids() {
    lock.lock();
    try {
      return Map.copyOf(pids);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until no live worker is inside a critical section that began before {@code before}
   * (its report has arrived), so a scenario's sections are all in when it is analysed.
   *
   * @param before a {@code System.nanoTime()} value
   * @param alive which worker indexes are still running (the others never report)
   * @param timeout how long to wait
   * @return whether that state was reached in time
   */
  public boolean awaitSectionsReported(long before, java.util.function.IntPredicate alive, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        boolean pending = false;
        for (Map.Entry<Integer, Long> open : openSections.entrySet()) {
          if (open.getValue() - before < 0 && alive.test(open.getKey() / 1000)) {
            pending = true;
            break;
          }
        }
        if (!pending) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a section that started after {@code afterNanos} has been reported by a worker
   * other than {@code excludedProcess}.
   *
   * @return its start time, or -1 if none came within {@code timeout}
   */
  public long awaitSectionStartedAfter(long afterNanos, int excludedProcess, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      int checked = 0;
      long earliest = Long.MAX_VALUE;
      while (true) {
        for (; checked < sections.size(); checked++) {
          SectionRecord s = sections.get(checked);
          if (s.process() != excludedProcess && s.startNanos() - afterNanos > 0 && s.startNanos() < earliest) {
            earliest = s.startNanos();
          }
        }
        if (earliest != Long.MAX_VALUE) {
          return earliest;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return -1;
        }
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Forgets that a killed worker was inside a section: it will never report it. */
  public void forgetProcess(int process) {
    lock.lock();
    try {
      openSections.keySet().removeIf(slot -> slot / 1000 == process);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        connections.add(socket);
        Thread t = new Thread(() -> serve(socket), "register-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        BufferedWriter out =
            new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(handle(line, socket.getPort()));
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      // a worker went away (killed, or done)
    } finally {
      connections.remove(socket);
    }
  }

  private String handle(String line, int connectionId) {
    String[] f = line.split(" ");
    long now = System.nanoTime();
    switch (f[0]) {
      case "GET":
        return get(Integer.parseInt(f[1]), connectionId, now);
      case "SET":
        return set(Long.parseLong(f[1]));
      case "WRITE":
        return write(Long.parseLong(f[1]), f[2], now);
      case "REC":
        return record(SectionRecord.parse(f), connectionId);
      case "ERR":
        return error(new ErrorReport(Integer.parseInt(f[1]), f[2], now));
      case "LOST":
        return loss(new LossReport(Integer.parseInt(f[1]), f[2], f[3], Long.parseLong(f[4])));
      case "HELLO":
        return hello(Integer.parseInt(f[1]), Long.parseLong(f[2]));
      default:
        return "ERROR unknown request " + f[0];
    }
  }

  /** Sections are tracked per (process, connection): slot = process * 1000 + connection % 1000. */
  private static int slot(int process, int connectionId) {
    return process * 1000 + Math.floorMod(connectionId, 1000);
  }

  private String get(int process, int connectionId, long now) {
    IntConsumer action = null;
    long value;
    lock.lock();
    try {
      openSections.put(slot(process, connectionId), now);
      if (armedProcess == process) {
        action = armedAction;
        armedProcess = -1;
        armedAction = null;
      }
      value = counter;
    } finally {
      lock.unlock();
    }
    if (action != null) {
      action.accept(process);
    }
    return Long.toString(value);
  }

  private String set(long value) {
    lock.lock();
    try {
      counter = value;
      sets++;
      return "OK";
    } finally {
      lock.unlock();
    }
  }

  private String write(long token, String leaseId, long now) {
    lock.lock();
    try {
      if (token > maxToken || (token == maxToken && leaseId.equals(maxLeaseId))) {
        maxToken = token;
        maxLeaseId = leaseId;
        accepted.add(new AcceptedWrite(token, leaseId, now));
        return "OK";
      }
      rejectedWrites++;
      return "REJECT " + maxToken;
    } finally {
      lock.unlock();
    }
  }

  private String record(SectionRecord section, int connectionId) {
    lock.lock();
    try {
      sections.add(section);
      openSections.remove(slot(section.process(), connectionId));
      changed.signalAll();
      return stopping ? "STOP" : "GO";
    } finally {
      lock.unlock();
    }
  }

  private String error(ErrorReport report) {
    lock.lock();
    try {
      errors.add(report);
      return stopping ? "STOP" : "GO";
    } finally {
      lock.unlock();
    }
  }

  private String loss(LossReport report) {
    lock.lock();
    try {
      losses.add(report);
      changed.signalAll();
      return "OK";
    } finally {
      lock.unlock();
    }
  }

  private String hello(int process, long pid) {
    lock.lock();
    try {
      pids.put(process, pid);
      return "OK";
    } finally {
      lock.unlock();
    }
  }
}
