package io.github.distlock;

/**
 * The kind of lock to take on a key.
 */
public enum LockType {
    /** One holder at a time (a write lock). */
    EXCLUSIVE,
    /**
     * Many holders at once, but never together with an exclusive holder (a read lock). A writer
     * waiting for the key is not starved: once it waits, new shared requests wait behind it.
     */
    SHARED
}
