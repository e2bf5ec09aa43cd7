package io.github.distlock.testkit;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import io.github.distlock.LockLostException;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hammers a few keys from many threads spread over several clients and checks that the lock
 * really excludes: every round takes the lock on a random key, increments a per-key counter
 * <em>non-atomically</em> (read, yield, write) and counts how many threads are inside the
 * critical section of that key at once. With a correct lock no update is lost, at most one
 * thread is ever inside, and the fencing tokens seen inside strictly increase per key.
 *
 * <p>With {@link Builder#giveUpAfter(Duration)} half of the rounds wait only briefly and give up,
 * so that waiters that leave (and clean up after themselves in the store) mix with holders: a
 * store whose clean-up is not owner-checked then releases a holder's lock and fails the run.
 *
 * <pre>{@code
 * MutualExclusionFuzzer.Result r = MutualExclusionFuzzer.builder(List.of(clientA, clientB))
 *         .threads(16).keys(4).rounds(4000).build().run();
 * assertThat(r.lostUpdates()).isZero();
 * assertThat(r.maxConcurrentHolders()).isEqualTo(1);
 * }</pre>
 */
public final class MutualExclusionFuzzer {

    /** Which part of the API the workers lock with. */
    public enum Api {
        /** {@link DistributedLock#acquire(String, LockOptions)} and {@link LockLease#release()}. */
        LEASE,
        /** {@link DistributedLock#lock(String, LockOptions)} and {@link DistributedLock#unlock(String)}. */
        KEY_BASED
    }

    /**
     * What a run observed.
     *
     * @param acquisitions critical sections entered, over all keys
     * @param lostUpdates counter increments that were overwritten by a concurrent holder
     * @param maxConcurrentHolders the most threads seen inside one key's critical section at once
     * @param fencingViolations critical sections whose fencing token was not larger than the
     *        previous one of the same key
     * @param lostLocks critical sections whose lock turned out lost at release (a TTL too short
     *        for the run, or a renewal problem); these may legitimately overlap
     * @param giveUps rounds whose short wait timed out (only with {@link Builder#giveUpAfter(Duration)})
     * @param elapsed how long the run took
     */
    public record Result(long acquisitions, long lostUpdates, int maxConcurrentHolders, long fencingViolations,
            long lostLocks, long giveUps, Duration elapsed) {

        /** @return whether the run saw no overlap, no lost update, no fencing regression and no lost lock */
        public boolean mutuallyExclusive() {
            return lostUpdates == 0 && maxConcurrentHolders <= 1 && fencingViolations == 0 && lostLocks == 0;
        }
    }

    private final List<DistributedLock> clients;
    private final int threads;
    private final List<String> keys;
    private final int rounds;
    private final LockOptions options;
    private final Api api;
    private final Duration timeout;
    private final Duration giveUpAfter;
    private final Duration maxDuration;
    private volatile long stopAtNanos;

    private final AtomicIntegerArray inside;
    private final AtomicLongArray counters;
    private final AtomicLongArray entries;
    private final AtomicLongArray lastToken;
    private final AtomicInteger maxInside = new AtomicInteger();
    private final AtomicLong fencingViolations = new AtomicLong();
    private final AtomicLong lostLocks = new AtomicLong();
    private final AtomicLong giveUps = new AtomicLong();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    private MutualExclusionFuzzer(Builder b) {
        this.clients = List.copyOf(b.clients);
        this.threads = b.threads;
        this.keys = List.copyOf(b.keys);
        this.rounds = b.rounds;
        this.options = b.options;
        this.api = b.api;
        this.timeout = b.timeout;
        this.giveUpAfter = b.giveUpAfter;
        this.maxDuration = b.maxDuration;
        this.inside = new AtomicIntegerArray(keys.size());
        this.counters = new AtomicLongArray(keys.size());
        this.entries = new AtomicLongArray(keys.size());
        this.lastToken = new AtomicLongArray(keys.size());
    }

    /**
     * Starts a builder over the clients the workers share out (worker {@code i} uses client
     * {@code i % clients.size()}). The caller keeps ownership of the clients.
     *
     * @param clients at least one client; use two or more to test across processes
     * @return a builder with 16 threads, 4 random keys, 4000 rounds and default exclusive options
     */
    public static Builder builder(List<DistributedLock> clients) {
        return new Builder(clients);
    }

    /**
     * Runs the workers to completion.
     *
     * @return what the run observed
     * @throws InterruptedException if interrupted while waiting for the workers
     * @throws AssertionError if a worker failed or the run did not finish within the timeout
     */
    public Result run() throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            int myRounds = rounds / threads + (i < rounds % threads ? 1 : 0);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    work(clients.get(index % clients.size()), myRounds);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "distlock-fuzz-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        long began = System.nanoTime();
        stopAtNanos = began + (maxDuration == null ? Long.MAX_VALUE / 2 : maxDuration.toNanos());
        start.countDown();
        boolean finished = done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
        if (!finished) {
            workers.forEach(Thread::interrupt);
            AssertionError e = new AssertionError("mutual-exclusion fuzz did not finish within " + timeout + " ("
                    + done.getCount() + " of " + threads + " workers still running; " + totalEntries()
                    + " acquisitions so far)");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("a mutual-exclusion fuzz worker failed: " + failures.peek(), failures.peek());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        long total = totalEntries();
        long counted = 0;
        for (int k = 0; k < keys.size(); k++) {
            counted += counters.get(k);
        }
        return new Result(total, total - counted, maxInside.get(), fencingViolations.get(), lostLocks.get(),
                giveUps.get(), elapsed);
    }

    private long totalEntries() {
        long n = 0;
        for (int k = 0; k < keys.size(); k++) {
            n += entries.get(k);
        }
        return n;
    }

    private void work(DistributedLock client, int myRounds) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int r = 0; r < myRounds && System.nanoTime() - stopAtNanos < 0; r++) {
            int k = random.nextInt(keys.size());
            String key = keys.get(k);
            LockOptions roundOptions = options;
            if (giveUpAfter != null && random.nextBoolean()) {
                roundOptions = options.toBuilder()
                        .waitTimeout(Duration.ofNanos(random.nextLong(giveUpAfter.toNanos() + 1))).build();
            }
            try {
                round(client, key, k, roundOptions, random);
            } catch (LockAcquisitionTimeoutException impatient) {
                if (roundOptions == options) {
                    throw impatient;
                }
                giveUps.incrementAndGet();
            }
        }
    }

    private void round(DistributedLock client, String key, int k, LockOptions roundOptions, ThreadLocalRandom random)
            throws InterruptedException {
        if (api == Api.LEASE) {
            LockLease lease = client.acquire(key, roundOptions);
            try {
                critical(k, lease.fencingToken(), random);
            } finally {
                if (!lease.release()) {
                    lostLocks.incrementAndGet();
                }
            }
            return;
        }
        client.lock(key, roundOptions);
        try {
            critical(k, client.currentLease(key).orElseThrow().fencingToken(), random);
        } finally {
            try {
                client.unlock(key);
            } catch (LockLostException lost) {
                lostLocks.incrementAndGet();
            }
        }
    }

    private void critical(int k, long token, ThreadLocalRandom random) {
        int now = inside.incrementAndGet(k);
        maxInside.accumulateAndGet(now, Math::max);
        entries.incrementAndGet(k);
        // Deliberately not atomic: a read, a pause, a write. Only the lock protects it.
        long previousToken = lastToken.get(k);
        if (token <= previousToken) {
            fencingViolations.incrementAndGet();
        }
        lastToken.set(k, Math.max(token, previousToken));
        long value = counters.get(k);
        Thread.yield();
        if (random.nextInt(8) == 0) {
            long until = System.nanoTime() + random.nextLong(5_000, 50_000);
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
        counters.set(k, value + 1);
        inside.decrementAndGet(k);
    }

    /**
     * Configures a {@link MutualExclusionFuzzer}.
     */
    public static final class Builder {

        private final List<DistributedLock> clients;
        private int threads = 16;
        private List<String> keys = randomKeys(4);
        private int rounds = 4000;
        private LockOptions options = LockOptions.defaults();
        private Api api = Api.LEASE;
        private Duration timeout = Duration.ofSeconds(60);
        private Duration giveUpAfter;
        private Duration maxDuration;

        private Builder(List<DistributedLock> clients) {
            Objects.requireNonNull(clients, "clients");
            if (clients.isEmpty()) {
                throw new IllegalArgumentException("clients must not be empty");
            }
            this.clients = List.copyOf(clients);
        }

        /**
         * Sets the number of worker threads.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Uses {@code count} fresh random keys (fewer keys, more contention).
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder keys(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("keys must be at least 1, but was " + count);
            }
            this.keys = randomKeys(count);
            return this;
        }

        /**
         * Uses the given keys.
         *
         * @param keys at least one key
         * @return this builder
         */
        public Builder keys(List<String> keys) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("keys must not be empty");
            }
            this.keys = List.copyOf(keys);
            return this;
        }

        /**
         * Sets the total number of rounds, spread evenly over the threads.
         *
         * @param rounds at least 1
         * @return this builder
         */
        public Builder rounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, but was " + rounds);
            }
            this.rounds = rounds;
            return this;
        }

        /**
         * Sets the lock options of every acquisition; must be {@link LockType#EXCLUSIVE}.
         *
         * @param options the options; their wait timeout bounds each acquisition
         * @return this builder
         */
        public Builder options(LockOptions options) {
            if (options.lockType() != LockType.EXCLUSIVE) {
                throw new IllegalArgumentException("the fuzzer checks exclusive locks, but lockType was " + options.lockType());
            }
            this.options = options;
            return this;
        }

        /**
         * Sets which API the workers use.
         *
         * @param api lease handles or key-based calls
         * @return this builder
         */
        public Builder api(Api api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        /**
         * Sets the deadline of the whole run.
         *
         * @param timeout positive; the run fails if the workers are not done by then
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Makes half of the rounds impatient: they wait a random time up to {@code maxWait} and
         * give up (counted in {@link Result#giveUps()}) instead of entering.
         *
         * @param maxWait the longest impatient wait, zero or positive
         * @return this builder
         */
        public Builder giveUpAfter(Duration maxWait) {
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative, but was " + maxWait);
            }
            this.giveUpAfter = maxWait;
            return this;
        }

        /**
         * Stops starting new rounds after {@code maxDuration}, so that a slow store finishes in
         * time with fewer rounds ({@link Result#acquisitions()} tells how many ran).
         *
         * @param maxDuration positive
         * @return this builder
         */
        public Builder maxDuration(Duration maxDuration) {
            if (maxDuration.isNegative() || maxDuration.isZero()) {
                throw new IllegalArgumentException("maxDuration must be positive, but was " + maxDuration);
            }
            this.maxDuration = maxDuration;
            return this;
        }

        /** @return the fuzzer */
        public MutualExclusionFuzzer build() {
            return new MutualExclusionFuzzer(this);
        }

        private static List<String> randomKeys(int count) {
            String prefix = "fuzz-" + UUID.randomUUID() + "-";
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(prefix + i);
            }
            return keys;
        }
    }
}
