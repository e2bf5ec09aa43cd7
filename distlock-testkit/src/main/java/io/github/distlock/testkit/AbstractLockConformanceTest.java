package io.github.distlock.testkit;

import io.github.distlock.testkit.conformance.ConformanceContext;
import io.github.distlock.testkit.conformance.ArgumentValidationConformance;
import io.github.distlock.testkit.conformance.ClientCloseConformance;
import io.github.distlock.testkit.conformance.ExclusiveLockConformance;
import io.github.distlock.testkit.conformance.ExpiryConformance;
import io.github.distlock.testkit.conformance.FencingConformance;
import io.github.distlock.testkit.conformance.InspectionConformance;
import io.github.distlock.testkit.conformance.LockManagerConformance;
import io.github.distlock.testkit.conformance.LockServiceConformance;
import io.github.distlock.testkit.conformance.MutualExclusionConformance;
import io.github.distlock.testkit.conformance.OwnershipConformance;
import io.github.distlock.testkit.conformance.ReentrancyConformance;
import io.github.distlock.testkit.conformance.RenewalConformance;
import io.github.distlock.testkit.conformance.RetryConformance;
import io.github.distlock.testkit.conformance.SharedLockConformance;
import io.github.distlock.testkit.conformance.WaitConformance;
import io.github.distlock.testkit.conformance.WatchdogConformance;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite every backend passes: extend it in a {@code *Test} or {@code *IT}
 * class, return a {@link LockBackendFixture} from {@link #fixture()}, and JUnit runs every group
 * below as a {@code @Nested} class against that backend.
 *
 * <pre>{@code
 * class MyStoreConformanceIT extends AbstractLockConformanceTest {
 *     @RegisterExtension // one running server for the class, stopped after it
 *     static final ClassResource<MyStoreFixture> STORE = ClassResource.of(MyStoreFixture::start);
 *     @Override protected LockBackendFixture fixture() { return STORE.get(); }
 * }
 * }</pre>
 *
 * <p>Tests use random keys, so one server can serve the whole class; every client, service,
 * manager and thread a test opens is closed after it. Each test has a 60 s timeout, so a hang
 * fails instead of blocking the build. Timings derive from the fixture
 * ({@link LockBackendFixture#shortTtl()}, {@link LockBackendFixture#ttlGranularity()}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractLockConformanceTest {

    private final ConformanceContext context = new ConformanceContext(this::fixture);

    /** Creates the suite; JUnit calls this once per test. */
    protected AbstractLockConformanceTest() {
    }

    /**
     * Returns the backend under test. Called during each test, so it may return a fixture
     * started once for the class (a {@link io.github.distlock.testkit.junit.ClassResource}).
     *
     * @return the fixture
     */
    protected abstract LockBackendFixture fixture();

    /** @return the running test's resources (clients, threads), closed after the test */
    protected final ConformanceContext context() {
        return context;
    }

    /**
     * Closes every client, service and manager the test opened and stops its threads.
     *
     * @throws Exception if closing a resource failed
     */
    @AfterEach
    void closeTestResources() throws Exception {
        context.close();
    }

    /** Exclusive locks between clients. */
    @Nested
    class ExclusiveLocks extends ExclusiveLockConformance {
        ExclusiveLocks() {
            super(context);
        }
    }

    /** Owner-checked release and renew. */
    @Nested
    class Ownership extends OwnershipConformance {
        Ownership() {
            super(context);
        }
    }

    /** Expiry of locks that are not renewed. */
    @Nested
    class Expiry extends ExpiryConformance {
        Expiry() {
            super(context);
        }
    }

    /** Explicit renewal and LockService.autoRenew. */
    @Nested
    class Renewal extends RenewalConformance {
        Renewal() {
            super(context);
        }
    }

    /** Watchdog renewal of auto-renewed locks. */
    @Nested
    class Watchdog extends WatchdogConformance {
        Watchdog() {
            super(context);
        }
    }

    /** Fencing tokens. */
    @Nested
    class Fencing extends FencingConformance {
        Fencing() {
            super(context);
        }
    }

    /** isLocked and getLockInfo. */
    @Nested
    class Inspection extends InspectionConformance {
        Inspection() {
            super(context);
        }
    }

    /** Shared (read) locks and writer fairness. */
    @Nested
    class SharedLocks extends SharedLockConformance {
        SharedLocks() {
            super(context);
        }
    }

    /** Thread-bound, reentrant key-based locks. */
    @Nested
    class Reentrancy extends ReentrancyConformance {
        Reentrancy() {
            super(context);
        }
    }

    /** tryLock retries. */
    @Nested
    class Retries extends RetryConformance {
        Retries() {
            super(context);
        }
    }

    /** Blocking and async waits: timeouts, interrupts, cancellation, prompt hand-off. */
    @Nested
    class Waiting extends WaitConformance {
        Waiting() {
            super(context);
        }
    }

    /** Rejection of bad input and of use after close. */
    @Nested
    class ArgumentValidation extends ArgumentValidationConformance {
        ArgumentValidation() {
            super(context);
        }
    }

    /** LockService. */
    @Nested
    class Service extends LockServiceConformance {
        Service() {
            super(context);
        }
    }

    /** LockManager. */
    @Nested
    class Manager extends LockManagerConformance {
        Manager() {
            super(context);
        }
    }

    /** Closing a client. */
    @Nested
    class ClientClose extends ClientCloseConformance {
        ClientClose() {
            super(context);
        }
    }

    /** Mutual exclusion under load. */
    @Nested
    class MutualExclusion extends MutualExclusionConformance {
        MutualExclusion() {
            super(context);
        }
    }
}
