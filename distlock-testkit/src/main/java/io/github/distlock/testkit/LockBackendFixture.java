package io.github.distlock.testkit;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import java.time.Duration;

/**
 * What a backend's conformance test supplies to {@link AbstractLockConformanceTest}: a way to
 * open independent clients of one running store, and the store's TTL limits. Every timing the
 * suite uses is derived from these values, so a backend never overrides a hard-coded timing.
 *
 * <p>Two clients from one fixture must behave like two processes sharing one server: separate
 * connections, separate watchdogs, no shared state other than the store.
 */
public interface LockBackendFixture {

    /**
     * Returns the name the clients report as {@link DistributedLock#backendName()}.
     *
     * @return the backend name, for example {@code mem}, {@code redis} or {@code etcd}
     */
    String backendName();

    /**
     * Opens a new, independent client of the store with the given options. The suite closes it.
     *
     * @param options client options (default lock options, operation timeout, ...)
     * @return a new client, never one returned before
     */
    DistributedLock newClient(LockClientOptions options);

    /**
     * Opens a new, independent client of the store with default options. The suite closes it.
     *
     * @return a new client, never one returned before
     */
    default DistributedLock newClient() {
        return newClient(LockClientOptions.defaults());
    }

    /**
     * Returns the unit the store keeps TTLs in: 1 ms for the in-memory backend and Redis, 1 s for
     * etcd. Expiry is expected within this much after the TTL (plus scheduling slack).
     *
     * @return the TTL granularity, positive
     */
    Duration ttlGranularity();

    /**
     * Returns the smallest TTL the client accepts for this backend; anything smaller must be
     * rejected with {@link io.github.distlock.InvalidLockArgumentException} before a call is sent.
     * Defaults to {@link #ttlGranularity()}.
     *
     * @return the minimum TTL, positive
     */
    default Duration minimumTtl() {
        return ttlGranularity();
    }

    /**
     * Returns the TTL the suite uses for tests that wait for expiry or renewal: short enough to
     * keep the suite fast, long enough that the store keeps it exactly. Defaults to the largest
     * of 400 ms, twice the granularity and twice the minimum TTL (2 s on etcd).
     *
     * @return the short TTL
     */
    default Duration shortTtl() {
        Duration d = Duration.ofMillis(400);
        Duration twiceGranularity = ttlGranularity().multipliedBy(2);
        Duration twiceMinimum = minimumTtl().multipliedBy(2);
        if (twiceGranularity.compareTo(d) > 0) {
            d = twiceGranularity;
        }
        if (twiceMinimum.compareTo(d) > 0) {
            d = twiceMinimum;
        }
        return d;
    }

    /**
     * Returns the TTL of the watchdog tests, which hold auto-renewed locks across several TTLs:
     * the largest of 1 s and {@link #shortTtl()}. Renewal runs every third of the TTL, so a
     * renewal must land within two thirds of it; 400 ms left too little room for a JVM that the
     * machine's scheduler starves for a quarter of a second (seen at load average 10), which is a
     * property of the machine, not of the watchdog under test.
     *
     * @return the watchdog tests' TTL
     */
    default Duration watchdogTtl() {
        Duration d = Duration.ofSeconds(1);
        return shortTtl().compareTo(d) > 0 ? shortTtl() : d;
    }
}
