package io.github.distlock.testkit.conformance;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking call running on a thread of its own, so that a test can watch it block, interrupt
 * it and collect its outcome with a deadline (never waiting forever).
 *
 * @param <T> the call's result type
 */
public final class BackgroundCall<T> {

    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile long finishedNanos;

    private BackgroundCall() {
    }

    /**
     * Starts {@code call} on a thread of {@code pool}.
     *
     * @param pool where to run it
     * @param call the blocking call
     * @param <T> its result type
     * @return the running call
     */
    public static <T> BackgroundCall<T> start(ExecutorService pool, Callable<T> call) {
        BackgroundCall<T> c = new BackgroundCall<>();
        pool.execute(() -> {
            c.thread = Thread.currentThread();
            c.started.countDown();
            try {
                T value = call.call();
                c.finishedNanos = System.nanoTime();
                c.outcome.complete(value);
            } catch (Throwable e) {
                c.finishedNanos = System.nanoTime();
                c.outcome.completeExceptionally(e);
            } finally {
                // Do not leak an interrupt into the pool's next task.
                Thread.interrupted();
            }
        });
        return c;
    }

    /** @return whether the call returned or threw */
    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Returns when the call finished, by {@link System#nanoTime()}.
     *
     * @return the finish time; meaningful only once {@link #isDone()}
     */
    public long finishedNanos() {
        return finishedNanos;
    }

    /**
     * Interrupts the thread running the call (after it started).
     *
     * @throws InterruptedException if the test thread is interrupted while waiting for the start
     */
    public void interrupt() throws InterruptedException {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the background call did not start within 10 s");
        }
        thread.interrupt();
    }

    /**
     * Waits for the call to return and gives its value.
     *
     * @param deadline how long to wait at most
     * @return the value
     * @throws AssertionError if the call threw or did not finish in time
     */
    public T result(Duration deadline) {
        try {
            return outcome.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the background call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the background call did not finish within " + deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the background call", e);
        }
    }

    /**
     * Waits for the call to throw and gives the exception.
     *
     * @param deadline how long to wait at most
     * @return what the call threw
     * @throws AssertionError if the call returned normally or did not finish in time
     */
    public Throwable failure(Duration deadline) {
        try {
            T value = outcome.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("the background call was expected to fail, but returned " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the background call did not finish within " + deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the background call", e);
        }
    }
}
