package io.github.distlock.chaos;

import io.github.distlock.chaos.register.RegisterServer;
import io.github.distlock.chaos.register.RegisterServer.CounterSnapshot;
import io.github.distlock.chaos.worker.WorkerSettings;
import io.github.distlock.testkit.net.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every scenario against one target: starts the register, the fault proxy and the worker JVMs
 * once, then runs the scenarios back to back while the workers keep contending, each scenario a
 * window of baseline load, the fault, and settling load.
 */
final class BackendRun implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackendRun.class);

  /** The worker that connects through the fault proxy (network scenarios hit it). */
  static final int PROXIED_WORKER = 0;
  /** The worker that process faults hit. */
  static final int HOLDER_VICTIM = 1;
  /** How long the workers get to start and take the lock for the first time. */
  private static final Duration STARTUP = Duration.ofSeconds(90);
  /** Generous bounds on things that normally take milliseconds. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final ChaosTarget target;
  private final ChaosSettings settings;
  private final RegisterServer register;
  private final Optional<FaultProxy> proxy;
  private final WorkerPool pool;

  BackendRun(ChaosTarget target, ChaosSettings settings, String classpath, Path directory, String key) {
    this.target = target;
    this.settings = settings;
    this.register = RegisterServer.start();
    this.proxy =
        target.proxyableAddress()
            .map(address -> {
              int colon = address.lastIndexOf(':');
              return FaultProxy.start(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            });
    this.pool =
        new WorkerPool(
            classpath,
            directory,
            settings.processes(),
            index ->
                new WorkerSettings(
                    index,
                    index == PROXIED_WORKER && proxy.isPresent()
                        ? target.uriThrough(proxy.get().address())
                        : target.uri(),
                    key,
                    settings.threads(),
                    settings.ttl(),
                    settings.operationTimeout(),
                    settings.waitTimeout(),
                    register.address()));
  }

  /** Runs {@code scenarios} in order and returns one result each. */
  List<ScenarioResult> run(List<Scenario> scenarios) throws InterruptedException {
    awaitLoad(null);
    pause(settings.warmUp());
    List<ScenarioResult> results = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      Optional<String> notApplicable = scenario.notApplicableTo(target);
      if (notApplicable.isPresent()) {
        results.add(ScenarioResult.notApplicable(target, scenario, notApplicable.get()));
        continue;
      }
      log.info("{}: {}", target.name(), scenario.id());
      results.add(runOne(scenario));
    }
    register.stopWorkers();
    pool.awaitExit(PATIENCE);
    List<String> failures = pool.failures();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("worker processes failed on " + target.name() + ":\n" + String.join("\n", failures));
    }
    return results;
  }

  private ScenarioResult runOne(Scenario scenario) throws InterruptedException {
    pool.restartDead();
    awaitLoad(scenario);
    return measure(scenario);
  }

  /** Waits until a worker takes the lock (workers start or restart), so every window has load. */
  private void awaitLoad(Scenario scenario) throws InterruptedException {
    long since = System.nanoTime();
    long flowing = -1;
    while (flowing < 0 && System.nanoTime() - since < STARTUP.toNanos() && pool.failures().isEmpty()) {
      flowing = register.awaitSectionStartedAfter(since, -1, Duration.ofSeconds(1));
    }
    if (flowing < 0) {
      throw new IllegalStateException(
          target.name() + ": no worker got the lock within " + STARTUP + " before "
              + (scenario == null ? "the warm-up" : scenario.id()) + "\n" + pool.failures());
    }
  }

  private ScenarioResult measure(Scenario scenario) throws InterruptedException {
    CounterSnapshot from = register.counter();
    pause(settings.baseline());
    FaultWindow fault = inject(scenario);
    pause(settings.settle());
    CounterSnapshot to = register.counter();
    if (!register.awaitSectionsReported(to.atNanos(), pool::isAlive, PATIENCE)) {
      throw new IllegalStateException(target.name() + " " + scenario.id() + ": critical sections still open after " + PATIENCE);
    }
    Analysis.Log logged = new Analysis.Log(register.sections(), register.acceptedWrites(), register.errors(), register.losses());
    return Analysis.analyse(target, scenario, settings, logged, from, to, fault);
  }

  private FaultWindow inject(Scenario scenario) throws InterruptedException {
    switch (scenario) {
      case NO_FAULTS:
        pause(settings.quiet());
        return FaultWindow.none();
      case HOLDER_PAUSED:
        return holderFault(HOLDER_VICTIM, pool::pause, settings.longPause(), () -> pool.resume(HOLDER_VICTIM));
      case HOLDER_KILLED:
        return holderFault(
            HOLDER_VICTIM,
            victim -> {
              pool.kill(victim);
              register.forgetProcess(victim);
            },
            Duration.ZERO,
            () -> {});
      case NETWORK_BLACK_HOLE:
        return holderFault(PROXIED_WORKER, victim -> proxy.orElseThrow().blackHole(), settings.longPause(), () -> proxy.orElseThrow().heal());
      case SERVER_PAUSED_SHORT:
        return serverFault(() -> {
          target.pauseServer();
          pause(settings.shortPause());
          target.resumeServer();
        });
      case SERVER_PAUSED_LONG:
        return serverFault(() -> {
          target.pauseServer();
          pause(settings.longPause());
          target.resumeServer();
        });
      case SERVER_RESTARTED:
        return serverFault(target::restartServer);
      case SERVER_ROLLED_BACK:
        target.snapshot();
        pause(settings.settle());
        return serverFault(target::restartFromSnapshot);
      case LEADER_KILLED:
        {
          long faultAt = System.nanoTime();
          Runnable rejoin = target.killLeader();
          long healedAt = System.nanoTime();
          long recovered = register.awaitSectionStartedAfter(faultAt, -1, PATIENCE);
          pause(settings.settle());
          rejoin.run();
          return new FaultWindow(-1, faultAt, healedAt, recovered, true, "new leader elected; old leader restarted after settling");
        }
      case NETWORK_LATENCY:
        return proxyFault(() -> {
          proxy.orElseThrow().latency(Duration.ofMillis(50));
          pause(settings.ttl().multipliedBy(2));
          proxy.orElseThrow().heal();
        });
      case NETWORK_RESET:
        return proxyFault(() -> {
          for (int i = 0; i < 3; i++) {
            proxy.orElseThrow().resetConnections();
            pause(settings.ttl().dividedBy(4));
          }
        });
      default:
        throw new IllegalArgumentException("no injector for " + scenario);
    }
  }

  /** A fault that may block: pauses and restarts. */
  private interface Action {
    void run() throws InterruptedException;
  }

  /**
   * Arms {@code fault} for the victim's next read inside its critical section, waits until it
   * fires, keeps it for {@code duration}, heals it, and waits for another worker to get the lock.
   */
  private FaultWindow holderFault(int victim, IntConsumer fault, Duration duration, Runnable heal) throws InterruptedException {
    CountDownLatch fired = new CountDownLatch(1);
    AtomicLong faultAt = new AtomicLong(-1);
    register.arm(
        victim,
        process -> {
          fault.accept(process);
          faultAt.set(System.nanoTime());
          fired.countDown();
        });
    if (!fired.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(target.name() + ": worker " + victim + " did not take the lock within " + PATIENCE);
    }
    pause(duration);
    heal.run();
    long healedAt = System.nanoTime();
    long recovered = register.awaitSectionStartedAfter(faultAt.get(), victim, PATIENCE);
    return new FaultWindow(victim, faultAt.get(), healedAt, recovered, true, null);
  }

  private FaultWindow serverFault(Action fault) throws InterruptedException {
    long faultAt = System.nanoTime();
    fault.run();
    long healedAt = System.nanoTime();
    long recovered = register.awaitSectionStartedAfter(healedAt, -1, PATIENCE);
    return new FaultWindow(-1, faultAt, healedAt, recovered, false, null);
  }

  private FaultWindow proxyFault(Action fault) throws InterruptedException {
    long faultAt = System.nanoTime();
    fault.run();
    long healedAt = System.nanoTime();
    long recovered = register.awaitSectionStartedAfter(healedAt, -1, PATIENCE);
    return new FaultWindow(-1, faultAt, healedAt, recovered, false, "fault on worker " + PROXIED_WORKER + "'s proxy");
  }

  /** The length of a fault or of a load window (not a synchronisation). */
  private static void pause(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }
  }

  @Override
  public void close() {
    pool.close();
    proxy.ifPresent(FaultProxy::close);
    register.close();
  }
}
