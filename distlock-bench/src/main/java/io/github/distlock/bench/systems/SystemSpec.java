package io.github.distlock.bench.systems;

import io.github.distlock.bench.Scenario;
import io.github.distlock.bench.servers.BenchServers;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Describes one system of the comparison and opens it. The catalog of all systems is
 * {@link SystemCatalog#all()}; adding a system is adding one spec there.
 *
 * @param id the name in results and on the command line, e.g. {@code distlock-redis}
 * @param backend the store it talks to: {@code redis}, {@code etcd} or {@code zookeeper};
 *     ratios compare systems of one backend
 * @param role distlock, peer, ceiling or reference
 * @param description what exactly is measured, for the report
 * @param scenarios the scenarios it takes part in
 * @param factory opens an instance for one run
 */
public record SystemSpec(String id, String backend, Role role, String description, Set<Scenario> scenarios,
        Factory factory) {

    /**
     * Validates and copies the fields.
     *
     * @param id the name
     * @param backend the store
     * @param role the role
     * @param description what is measured
     * @param scenarios the scenarios
     * @param factory the factory
     */
    public SystemSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(description, "description");
        scenarios = Set.copyOf(EnumSet.copyOf(scenarios));
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * Whether the system takes part in {@code scenario}.
     *
     * @param scenario the scenario
     * @return {@code true} if it does
     */
    public boolean supports(Scenario scenario) {
        return scenarios.contains(scenario);
    }

    /** Opens a {@link BenchSystem} against the harness's servers. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Opens the system; the servers it needs are started on first use.
         *
         * @param servers the harness's servers
         * @param config TTLs and deadlines of this run
         * @return an open system
         * @throws Exception if it cannot connect
         */
        BenchSystem open(BenchServers servers, SystemConfig config) throws Exception;
    }
}
