package io.github.distlock.bench.systems;

/** What a system is in the comparison, which decides how its rows are compared. */
public enum Role {
    /** A distlock backend: the rows the targets are about; compared to every peer and ceiling of its backend. */
    DISTLOCK,
    /** Another lock library on the same store (Redisson, jetcd {@code Lock}, the brief's lease-per-lock design). */
    PEER,
    /** The least work any correct lock on that store can do from the JVM (raw client calls). */
    CEILING,
    /** Another store, for orientation only (Curator on ZooKeeper); never a ratio. */
    REFERENCE
}
