package io.github.distlock.testkit.conformance;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockManager;
import io.github.distlock.LockService;
import io.github.distlock.testkit.LockBackendFixture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The resources of one conformance test: the clients, services and managers it opened and the
 * threads it started. {@link #close()} (run after every test) closes them all, newest first, so
 * a test never leaks a client or a blocked thread into the next one.
 */
public final class ConformanceContext implements AutoCloseable {

    private final Supplier<LockBackendFixture> fixture;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private ExecutorService threads;

    /**
     * Creates an empty context.
     *
     * @param fixture supplies the backend fixture; called lazily, on first use
     */
    public ConformanceContext(Supplier<LockBackendFixture> fixture) {
        this.fixture = Objects.requireNonNull(fixture, "fixture");
    }

    /** @return the backend fixture */
    public LockBackendFixture fixture() {
        return Objects.requireNonNull(fixture.get(), "fixture() returned null");
    }

    /**
     * Opens a new client (a new "process") with default options, closed after the test.
     *
     * @return the client
     */
    public DistributedLock newClient() {
        return track(fixture().newClient());
    }

    /**
     * Opens a new client with the given options, closed after the test.
     *
     * @param options the client options
     * @return the client
     */
    public DistributedLock newClient(LockClientOptions options) {
        return track(fixture().newClient(options));
    }

    /**
     * Wraps a new client in a {@link LockService}, closed after the test.
     *
     * @return the service
     */
    public LockService newService() {
        return track(new LockService(fixture().newClient()));
    }

    /**
     * Creates an empty {@link LockManager}, closed after the test.
     *
     * @return the manager
     */
    public LockManager newManager() {
        return track(new LockManager());
    }

    /**
     * Registers something to close after the test (before the threads are stopped).
     *
     * @param resource the resource
     * @param <T> its type
     * @return the resource
     */
    public <T extends AutoCloseable> T track(T resource) {
        lock.lock();
        try {
            resources.push(Objects.requireNonNull(resource, "resource"));
        } finally {
            lock.unlock();
        }
        return resource;
    }

    /**
     * Returns the test's thread pool; threads are daemons named after the test, interrupted and
     * awaited after the test.
     *
     * @return the pool
     */
    public ExecutorService threads() {
        lock.lock();
        try {
            if (threads == null) {
                AtomicInteger n = new AtomicInteger();
                threads = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "conformance-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return threads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every tracked resource (newest first), then stops the threads. Closing clients first
     * releases blocked waiters. Throws the first failure, with the others suppressed, after all
     * were attempted.
     *
     * @throws Exception the first close failure
     */
    @Override
    public void close() throws Exception {
        Exception first = null;
        while (true) {
            AutoCloseable next;
            lock.lock();
            try {
                next = resources.poll();
            } finally {
                lock.unlock();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        ExecutorService pool;
        lock.lock();
        try {
            pool = threads;
            threads = null;
        } finally {
            lock.unlock();
        }
        if (pool != null) {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                IllegalStateException stuck = new IllegalStateException(
                        "test threads did not stop within 10 s of being interrupted (a blocked call ignores interrupts)");
                if (first == null) {
                    first = stuck;
                } else {
                    first.addSuppressed(stuck);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
