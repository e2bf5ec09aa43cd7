package io.github.distlock.etcd.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes the futures this backend hands out on its own threads, never on jetcd's Netty /
 * Vert.x event loop: code chained on them (the core's engine, and through it the application's
 * dependent stages) may block, and a blocked event loop would stall every etcd call of the
 * client, including the one the blocked code waits for. Threads are created on demand and end
 * when idle.
 */
final class Callbacks implements Executor {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final ThreadPoolExecutor pool;

    Callbacks(int backendId) {
        AtomicInteger threads = new AtomicInteger();
        int id = backendId > 0 ? backendId : IDS.incrementAndGet();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE.toNanos(), TimeUnit.NANOSECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "distlock-etcd-" + id + "-callback-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException closed) {
            task.run();
        }
    }

    /**
     * Returns a future that completes like {@code source}, on a callback thread.
     *
     * @param source the future from a jetcd chain
     * @param <T> the result type
     * @return the handed-off future
     */
    <T> CompletableFuture<T> handOff(CompletableFuture<T> source) {
        CompletableFuture<T> out = new CompletableFuture<>();
        source.whenComplete((v, e) -> execute(() -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        return out;
    }

    void shutdown() {
        pool.shutdown();
    }
}
