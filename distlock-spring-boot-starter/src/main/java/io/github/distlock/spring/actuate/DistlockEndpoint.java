package io.github.distlock.spring.actuate;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockInfo;
import io.github.distlock.LockLease;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code distlock} actuator endpoint: {@code GET /actuator/distlock} lists the locks this
 * application holds (from the client's memory, no round trip); {@code GET /actuator/distlock/KEY}
 * reads one key's state from the store, whoever holds it. Expose it like any endpoint:
 * {@code management.endpoints.web.exposure.include=health,distlock}.
 */
@Endpoint(id = "distlock")
public class DistlockEndpoint {

    private final DistributedLock lock;

    /**
     * Creates the endpoint.
     *
     * @param lock the client
     */
    public DistlockEndpoint(DistributedLock lock) {
        this.lock = lock;
    }

    /**
     * Lists the locks this application holds.
     *
     * @return the backend and the held locks, sorted by key
     */
    @ReadOperation
    public HeldLocks heldLocks() {
        List<HeldLock> held = lock.heldLeases().stream().map(HeldLock::of).toList();
        return new HeldLocks(lock.backendName(), held.size(), held);
    }

    /**
     * Reads one key's lock state from the store.
     *
     * @param key the lock key (may contain {@code /})
     * @return the state
     */
    @ReadOperation
    public KeyState key(@Selector(match = Selector.Match.ALL_REMAINING) String[] key) {
        LockInfo info = lock.getLockInfo(String.join("/", key));
        return new KeyState(info.key(), info.held(), info.type().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).orElse(null),
                info.holderCount(), info.fencingToken(), info.held() ? info.remainingTtl().toMillis() : null);
    }

    /**
     * What {@code GET /actuator/distlock} returns.
     *
     * @param backend the backend's name
     * @param count how many locks are held
     * @param locks the held locks, sorted by key
     */
    public record HeldLocks(String backend, int count, List<HeldLock> locks) {
    }

    /**
     * One lock this application holds.
     *
     * @param key the key
     * @param type {@code exclusive} or {@code shared}
     * @param fencingToken the grant's fencing token
     * @param ttl the lease's TTL, ISO-8601
     * @param expiresAt when it expires unless renewed, ISO-8601
     * @param held whether the client still believes it holds it
     */
    public record HeldLock(String key, String type, long fencingToken, String ttl, String expiresAt, boolean held) {

        static HeldLock of(LockLease lease) {
            return new HeldLock(lease.key(), lease.type().name().toLowerCase(java.util.Locale.ROOT), lease.fencingToken(),
                    lease.ttl().toString(), lease.expiresAt().toString(), lease.isHeld());
        }
    }

    /**
     * What {@code GET /actuator/distlock/KEY} returns.
     *
     * @param key the key
     * @param held whether anyone holds it
     * @param type {@code exclusive}, {@code shared}, or {@code null} when free
     * @param holders how many hold it
     * @param fencingToken the current (or last) fencing token
     * @param remainingTtlMs the holder's remaining TTL in milliseconds, {@code null} when free
     */
    public record KeyState(String key, boolean held, String type, int holders, long fencingToken, Long remainingTtlMs) {
    }
}
