package io.github.distlock.bench.systems;

import static io.github.distlock.bench.Scenario.HELD_LOCKS;
import static io.github.distlock.bench.Scenario.HOT_KEY;
import static io.github.distlock.bench.Scenario.RANDOM_KEYS;
import static io.github.distlock.bench.Scenario.SHARED_READERS;

import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.bench.Scenario;
import io.github.distlock.bench.servers.BenchServers;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every system of the comparison, in run order.
 *
 * <p><b>Adding a distlock backend</b> is one {@link #distlock} line per variant: it is measured
 * through the same public API as {@code distlock-redis}, opened from its URI. For the etcd
 * backend (add the {@code distlock-etcd} dependency to this module), the variants issue #7 asks
 * for are the strategies {@code txn} and {@code mutex}, each with watchdog locks
 * ({@code watchdog = true}) and with explicit TTL ({@code false}), e.g.
 * {@code distlock("distlock-etcd-txn", "etcd", "...", true, ALL, s ->
 * "etcd://" + s.etcd().host() + ":" + s.etcd().clientPort() + "?strategy=txn")}. The report then
 * compares them to the etcd peers automatically (ratios are per backend), and the SPEC targets
 * for {@code distlock-etcd-*} rows are evaluated once the rows exist.
 */
public final class SystemCatalog {

    /** Scenarios of a full lock library (mutex, read-write lock, renewal). */
    public static final Set<Scenario> ALL = EnumSet.allOf(Scenario.class);

    private SystemCatalog() {
    }

    /**
     * Returns every system, in run order: distlock first, then its peers and ceilings per
     * backend, then the reference.
     *
     * @return the specs
     */
    public static List<SystemSpec> all() {
        List<SystemSpec> specs = new ArrayList<>();
        specs.add(distlock("distlock-redis", "redis",
                "distlock-redis, handle API (acquire + release), watchdog-renewed locks",
                true, ALL, s -> s.redis().uri()));
        specs.add(new SystemSpec("redisson", "redis", Role.PEER,
                "Redisson RLock / RReadWriteLock, default config, watchdog (lockInterruptibly + unlock)",
                ALL, (s, c) -> new RedissonSystem(s.redis().uri(), c)));
        specs.add(new SystemSpec("lettuce-raw", "redis", Role.CEILING,
                "raw Lettuce ceiling: sync SET NX PX + owner-checked delete script on one shared connection",
                EnumSet.of(RANDOM_KEYS), (s, c) -> new LettuceRawSystem(s.redis().uri(), c)));
        for (String strategy : List.of("txn", "mutex")) {
            Function<BenchServers, String> uri = s -> "etcd://" + s.etcd().host() + ":" + s.etcd().clientPort()
                    + "?strategy=" + strategy;
            specs.add(distlock("distlock-etcd-" + strategy, "etcd",
                    "distlock-etcd " + strategy.toUpperCase(java.util.Locale.ROOT) + ", watchdog locks on the session lease",
                    true, ALL, uri));
            specs.add(distlock("distlock-etcd-" + strategy + "-ttl", "etcd",
                    "distlock-etcd " + strategy.toUpperCase(java.util.Locale.ROOT) + ", explicit-TTL locks (own, reused lease)",
                    false, EnumSet.of(RANDOM_KEYS, HOT_KEY, SHARED_READERS), uri));
        }
        specs.add(new SystemSpec("jetcd-lock", "etcd", Role.PEER,
                "jetcd Lock (v3lock RPC) with one lease per thread kept alive",
                EnumSet.of(RANDOM_KEYS, HOT_KEY, HELD_LOCKS), (s, c) -> new JetcdLockSystem(s.etcd().endpoint(), c)));
        specs.add(new SystemSpec("jetcd-lease-per-lock", "etcd", Role.PEER,
                "the brief's design: lease grant + create-if-absent txn + revoke, one lease per lock",
                EnumSet.of(RANDOM_KEYS, HELD_LOCKS), (s, c) -> new JetcdLeasePerLockSystem(s.etcd().endpoint(), c)));
        specs.add(new SystemSpec("jetcd-raw", "etcd", Role.CEILING,
                "raw jetcd ceiling: create-if-absent txn on a shared lease + owner-checked delete txn",
                EnumSet.of(RANDOM_KEYS), (s, c) -> new JetcdRawSystem(s.etcd().endpoint(), c)));
        specs.add(new SystemSpec("curator", "zookeeper", Role.REFERENCE,
                "Curator InterProcessMutex / InterProcessReadWriteLock on in-process ZooKeeper (reference)",
                EnumSet.of(RANDOM_KEYS, HOT_KEY, SHARED_READERS, HELD_LOCKS),
                (s, c) -> new CuratorSystem(s.zookeeper(), c)));
        return List.copyOf(specs);
    }

    /**
     * Describes a distlock variant measured through the public API, opened from a URI.
     *
     * @param id the system id, {@code distlock-<backend>[-variant]}
     * @param backend the store, for the ratios
     * @param description what is measured
     * @param watchdog whether cycle locks are auto-renewed (else they get an explicit TTL)
     * @param scenarios the scenarios it takes part in
     * @param uri the backend URI on the harness's servers
     * @return the spec
     */
    public static SystemSpec distlock(String id, String backend, String description, boolean watchdog,
            Set<Scenario> scenarios, Function<BenchServers, String> uri) {
        return new SystemSpec(id, backend, Role.DISTLOCK, description, scenarios,
                (servers, config) -> new DistlockSystem(DistributedLocks.open(uri.apply(servers),
                        LockClientOptions.builder().operationTimeout(config.operationTimeout()).build()),
                        config, watchdog));
    }

    /**
     * Selects systems by id, keeping catalog order.
     *
     * @param ids the ids; empty for all
     * @return the specs
     * @throws IllegalArgumentException naming the known ids if one is unknown
     */
    public static List<SystemSpec> select(List<String> ids) {
        Map<String, SystemSpec> byId = new LinkedHashMap<>();
        for (SystemSpec spec : all()) {
            byId.put(spec.id(), spec);
        }
        if (ids.isEmpty()) {
            return List.copyOf(byId.values());
        }
        for (String id : ids) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException("unknown system '" + id + "'; known: " + byId.keySet());
            }
        }
        return byId.values().stream().filter(s -> ids.contains(s.id())).toList();
    }
}
