package io.github.distlock.cli.demo;

import java.time.Duration;

/**
 * How a demo runs, in one process or in each worker process.
 *
 * @param keys how many lock keys the workers contend for
 * @param threads worker threads in this process
 * @param duration how long workers keep taking locks
 * @param ttl the TTL of each lock (renewed by the watchdog)
 * @param breakExclusion for tests of the demo itself: release each lock before the critical
 *        section, so that mutual exclusion is deliberately broken and must show
 */
public record DemoSettings(int keys, int threads, Duration duration, Duration ttl, boolean breakExclusion) {

    /** Prefix of the demo's lock keys: {@code distlock-demo/key-0}, {@code distlock-demo/key-1}, ... */
    public static final String KEY_PREFIX = "distlock-demo/key-";

    /**
     * Returns the name of a key.
     *
     * @param index the key index
     * @return the lock key
     */
    public static String key(int index) {
        return KEY_PREFIX + index;
    }
}
