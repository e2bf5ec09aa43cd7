package io.github.distlock.etcd;

import io.github.distlock.DistributedLock;
import io.github.distlock.LockClientOptions;
import io.github.distlock.testkit.LockBackendFixture;
import java.time.Duration;
import java.util.function.Supplier;

/** Conformance fixture for etcd: whole-second TTLs, one strategy, one key prefix per test class. */
final class EtcdConformanceFixture implements LockBackendFixture {

    private final Supplier<String> endpoints;
    private final EtcdLockStrategy strategy;
    private final String prefix = EtcdTestSupport.uniquePrefix();

    EtcdConformanceFixture(Supplier<String> endpoints, EtcdLockStrategy strategy) {
        this.endpoints = endpoints;
        this.strategy = strategy;
    }

    @Override
    public String backendName() {
        return "etcd";
    }

    @Override
    public DistributedLock newClient(LockClientOptions options) {
        return EtcdTestSupport.open(endpoints.get(), strategy, prefix, options);
    }

    @Override
    public Duration ttlGranularity() {
        return Duration.ofSeconds(1);
    }
}
