package io.github.distlock;

/**
 * How an acquire call ended, as reported by {@link LockNotAcquiredEvent} and
 * {@link LockWaitEndedEvent} (and used as the {@code outcome} tag of the acquire metrics).
 */
public enum AcquireOutcome {
    /** The lock was granted. */
    ACQUIRED("acquired"),
    /** A {@code tryLock}/{@code tryAcquire} found the lock taken on every attempt. */
    BUSY("busy"),
    /** A {@code lock}/{@code acquire} waited until its wait timeout passed. */
    TIMED_OUT("timed_out"),
    /** The caller gave up: the thread was interrupted, the future cancelled, or the client closed. */
    CANCELLED("cancelled"),
    /** The store failed or did not answer in time. */
    FAILED("failed");

    private final String tagValue;

    AcquireOutcome(String tagValue) {
        this.tagValue = tagValue;
    }

    /**
     * Returns the lower-case name used as a metrics tag value, for example {@code timed_out}.
     *
     * @return the tag value
     */
    public String tagValue() {
        return tagValue;
    }
}
