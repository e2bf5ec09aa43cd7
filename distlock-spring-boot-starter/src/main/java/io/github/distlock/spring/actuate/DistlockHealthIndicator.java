package io.github.distlock.spring.actuate;

import io.github.distlock.DistributedLock;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the lock store, as the {@code distlock} component of Spring Boot's health endpoint:
 * {@code UP} when the store answers a read of one key within the client's operation timeout,
 * {@code DOWN} with the error otherwise. Details: {@code backend} and {@code heldLocks} (the
 * number of locks this application holds). Spring Boot 4.
 */
public class DistlockHealthIndicator extends AbstractHealthIndicator {

    /** The key whose state the check reads; nobody needs to hold it. */
    public static final String PROBE_KEY = "distlock-health-probe";

    private final DistributedLock lock;

    /**
     * Creates the indicator.
     *
     * @param lock the client whose store is checked
     */
    public DistlockHealthIndicator(DistributedLock lock) {
        super("distlock health check failed");
        this.lock = lock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        lock.isLocked(PROBE_KEY);
        builder.up().withDetail("backend", lock.backendName()).withDetail("heldLocks", lock.heldLeases().size());
    }
}
