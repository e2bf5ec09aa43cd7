package io.github.distlock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.distlock.bench.servers.BenchServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/bench --etcd-calls} on a real etcd, briefly: the counters it reads from etcd's
 * metrics must show what docs/etcd.md claims for the uncontended path, so both the tool and the
 * claim are checked. Watchdog locks make exactly the raw ceiling's calls (one transaction to
 * acquire, one to release; no Range, no Watch); explicit-TTL locks add one refresh message per
 * cycle on an already open keep-alive stream, never a new stream. Counts, not timings.
 */
class EtcdCallCountIT {

    private static final int WARM_UP = 50;
    private static final int CYCLES = 100;

    @Test
    void watchdogLocksMakeTwoCallsPerCycleAndExplicitTtlLocksOneRefreshMessage() throws Exception {
        Map<String, Map<String, Double>> perCycle;
        try (BenchServers servers = new BenchServers()) {
            perCycle = EtcdCallCount.measure(servers, EtcdCallCount.etcdSystems(
                    List.of("jetcd-raw", "distlock-etcd-txn", "distlock-etcd-mutex", "distlock-etcd-txn-ttl")),
                    WARM_UP, CYCLES);
        }

        assertThat(perCycle).containsOnlyKeys("jetcd-raw", "distlock-etcd-txn", "distlock-etcd-mutex",
                "distlock-etcd-txn-ttl");
        assertThat(perCycle.get("jetcd-raw")).containsEntry("Txn calls", 2.0);
        for (String system : List.of("distlock-etcd-txn", "distlock-etcd-mutex", "distlock-etcd-txn-ttl")) {
            Map<String, Double> counters = perCycle.get(system);
            assertThat(counters).as(system)
                    .doesNotContainKeys("Range calls", "Watch calls", "LeaseGrant calls", "LeaseRevoke calls")
                    .containsKeys(" client CPU us", " server CPU us");
        }
        // TXN: acquire and owner-checked release are both transactions, as in the raw ceiling.
        assertThat(perCycle.get("distlock-etcd-txn")).containsEntry("Txn calls", 2.0).doesNotContainKey("DeleteRange calls");
        assertThat(perCycle.get("distlock-etcd-txn-ttl")).containsEntry("Txn calls", 2.0);
        // MUTEX: the queue entry's name carries the owner token, so its release is a plain delete.
        assertThat(perCycle.get("distlock-etcd-mutex")).containsEntry("Txn calls", 1.0)
                .containsEntry("DeleteRange calls", 1.0);
        // The session's lease: a confirmation at most every 100 ms, shared by every caller.
        assertThat(perCycle.get("distlock-etcd-txn").getOrDefault("LeaseKeepAlive msgs", 0.0)).isLessThan(0.5);
        // A reused explicit-TTL lease: one refresh message per cycle on the stream opened in the warm-up.
        Map<String, Double> ttl = perCycle.get("distlock-etcd-txn-ttl");
        assertThat(ttl.get("LeaseKeepAlive msgs")).isCloseTo(1.0, within(0.1));
        assertThat(ttl).doesNotContainKey("LeaseKeepAlive calls");

        String table = EtcdCallCount.table(perCycle, CYCLES);
        assertThat(table).startsWith("| system (per cycle, 100 cycles) |").contains("| jetcd-raw |", "Txn calls");
    }
}
