package io.github.distlock;

import java.time.Instant;
import java.util.Objects;

/** Checks the fields every {@link LockEvent} has. */
final class EventFields {

    private EventFields() {
    }

    static void require(String key, LockType lockType, String backend, Instant timestamp) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lockType, "lockType");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
