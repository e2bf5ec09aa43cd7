package io.github.distlock.bench.systems;

/** How a benchmark cycle takes its lock. */
public enum LockMode {
    /** A plain mutex: one holder ({@code RLock}, {@code InterProcessMutex}, distlock exclusive). */
    EXCLUSIVE,
    /** The read side of a read-write lock: many holders, no writer (distlock shared). */
    READ,
    /** The write side of a read-write lock: excludes readers and writers of the same key (distlock exclusive). */
    WRITE
}
