package io.github.distlock.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.DistributedLock;
import io.github.distlock.testkit.MutualExclusionFuzzer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion under load: 16 threads over several clients hammer a few keys; a non-atomic
 * counter per key must lose no update and no two holders may ever overlap.
 */
public abstract class MutualExclusionConformance extends ConformanceGroup {

    /** Rounds stop after this, so that slow stores finish within the test timeout. */
    private static final Duration BUDGET = Duration.ofSeconds(20);
    /**
     * Fewest critical sections a run must reach to mean anything: a check that the run made
     * progress on every key many times over, not a rate. It was 1,000 (50 a second over the
     * budget), which etcd missed on a 2-core machine at load average 8 to 13 although nothing
     * was wrong; 200 sections by 16 threads on 3 keys still contend on every key.
     */
    private static final long MIN_ACQUISITIONS = 200;

    /**
     * Creates the group.
     *
     * @param context the running test's resources
     */
    protected MutualExclusionConformance(ConformanceContext context) {
        super(context);
    }

    private List<DistributedLock> clients(int n) {
        return Stream.generate(this::newClient).limit(n).toList();
    }

    private static MutualExclusionFuzzer.Builder fuzzer(List<DistributedLock> clients) {
        return MutualExclusionFuzzer.builder(clients).threads(16).options(waitingAtMost(CALL_DEADLINE))
                .maxDuration(BUDGET).timeout(BUDGET.plus(CALL_DEADLINE));
    }

    private static void assertExclusive(MutualExclusionFuzzer.Result r, long rounds) {
        assertThat(r.acquisitions() + r.giveUps()).as("rounds run in %s", r).isLessThanOrEqualTo(rounds);
        assertThat(r.acquisitions()).as("critical sections entered in %s", r)
                .isGreaterThanOrEqualTo(r.giveUps() > 0 ? MIN_ACQUISITIONS / 2 : MIN_ACQUISITIONS);
        assertThat(r.lostUpdates()).as("lost updates in %s", r).isZero();
        assertThat(r.maxConcurrentHolders()).as("max concurrent holders in %s", r).isEqualTo(1);
        assertThat(r.fencingViolations()).as("fencing tokens not increasing in %s", r).isZero();
        assertThat(r.lostLocks()).as("locks lost during the run in %s", r).isZero();
        assertThat(r.mutuallyExclusive()).isTrue();
    }

    /**
     * Leases: 16 threads on 4 clients, 3 keys, 4000 rounds (fewer if the store is slow).
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void leasesExcludeAcrossClientsAndThreads() throws Exception {
        int rounds = 4000;
        MutualExclusionFuzzer.Result r = fuzzer(clients(4)).keys(3).rounds(rounds).build().run();
        assertExclusive(r, rounds);
    }

    /**
     * Impatient waiters mixed in: half of the rounds wait at most a few milliseconds and give up,
     * cleaning up after themselves in the store; their clean-up must never release a holder.
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void givingUpWaitersNeverReleaseAHolder() throws Exception {
        int rounds = 3000;
        MutualExclusionFuzzer.Result r = fuzzer(clients(4)).keys(2).rounds(rounds)
                .giveUpAfter(Duration.ofMillis(3)).build().run();
        assertThat(r.giveUps()).as("impatient waiters that gave up in %s", r).isPositive();
        assertExclusive(r, rounds);
    }

    /**
     * Key-based locks: 16 threads on 2 clients, 4 keys, 3000 rounds (fewer if the store is slow).
     *
     * @throws Exception if the test fails unexpectedly
     */
    @Test
    protected void keyBasedLocksExcludeAcrossClientsAndThreads() throws Exception {
        int rounds = 3000;
        MutualExclusionFuzzer.Result r = fuzzer(clients(2)).keys(4).rounds(rounds)
                .api(MutualExclusionFuzzer.Api.KEY_BASED).build().run();
        assertExclusive(r, rounds);
    }
}
