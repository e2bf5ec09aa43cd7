package io.github.distlock.spring;

/**
 * What a {@link DistributedLocked} method does when its lock cannot be had within its wait
 * timeout.
 */
public enum IfLocked {

    /**
     * The call fails with {@link io.github.distlock.LockAcquisitionTimeoutException}; the method
     * is not called.
     */
    FAIL,

    /**
     * The method is not called and the call returns {@code null}, or {@code Optional.empty()}
     * for a method returning {@code Optional}: for work that one instance of the application
     * should do while the others skip it, such as a {@code @Scheduled} job (ShedLock's
     * behaviour). Not allowed on methods returning a primitive.
     */
    SKIP
}
