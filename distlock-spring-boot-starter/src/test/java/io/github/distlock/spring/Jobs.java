package io.github.distlock.spring;

import io.github.distlock.LockLease;
import io.github.distlock.LockType;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A bean with @DistributedLocked methods of every kind, for the starter's tests. */
public class Jobs {

    /** The application of the tests: a {@code Jobs} bean and the {@code keyPrefix} bean its keys use. */
    @Configuration(proxyBeanMethods = false)
    public static class Application {
        @Bean
        Jobs jobs() {
            return new Jobs();
        }

        @Bean
        String keyPrefix() {
            return "bean-";
        }
    }

    private final AtomicInteger runs = new AtomicInteger();

    /** A record-like argument whose properties a key reads. */
    public record Order(String customer, long number) {
    }

    /** @return the calls that got into a method body */
    public int runs() {
        return runs.get();
    }

    private static String currentKey() {
        return CurrentLease.get().orElseThrow().key();
    }

    @DistributedLocked(key = "'invoice-' + #invoiceId")
    public String byName(long invoiceId) {
        return currentKey();
    }

    @DistributedLocked(key = "'pos-' + #p0 + '-' + #a1")
    public String byPosition(String first, int second) {
        return currentKey();
    }

    @DistributedLocked(key = "#root.methodName + '-' + #order.customer() + '-' + #order.number")
    public String byRootAndProperties(Order order) {
        return currentKey();
    }

    @DistributedLocked(key = "@keyPrefix + #name")
    public String byBean(String name) {
        return currentKey();
    }

    @DistributedLocked(key = "#id")
    public String byNullable(String id) {
        return currentKey();
    }

    @DistributedLocked(key = "#numbers.size() > 0 ? #numbers[0] : 'none'")
    public String byNumbers(java.util.List<Integer> numbers) {
        return currentKey();
    }

    @DistributedLocked(key = "'held'")
    public LockLease held() {
        runs.incrementAndGet();
        return CurrentLease.get().orElseThrow();
    }

    @DistributedLocked(key = "'failing'")
    public void failing() throws IOException {
        throw new IOException("the method's own failure");
    }

    @DistributedLocked(key = "'busy'", waitTimeout = "0")
    public void busyFailAtOnce() {
        runs.incrementAndGet();
    }

    @DistributedLocked(key = "'busy'", waitTimeout = "50ms")
    public void busyFailAfterWaiting() {
        runs.incrementAndGet();
    }

    @DistributedLocked(key = "'busy'", waitTimeout = "0", ifLocked = IfLocked.SKIP)
    public String busySkip() {
        runs.incrementAndGet();
        return "ran";
    }

    @DistributedLocked(key = "'busy'", waitTimeout = "50ms", ifLocked = IfLocked.SKIP)
    public Optional<String> busySkipOptional() {
        runs.incrementAndGet();
        return Optional.of("ran");
    }

    @DistributedLocked(key = "'busy'")
    public void busyWaitForever() {
        runs.incrementAndGet();
    }

    @DistributedLocked(key = "'busy'")
    public void busyWaitForeverInterruptibly() throws InterruptedException {
        runs.incrementAndGet();
    }

    @DistributedLocked(key = "'ttl'", ttl = "${jobs.ttl:7s}")
    public Duration ttl() {
        return CurrentLease.get().orElseThrow().ttl();
    }

    @DistributedLocked(key = "'shared'", type = LockType.SHARED)
    public LockType shared() {
        return CurrentLease.get().orElseThrow().type();
    }

    @DistributedLocked(key = "'nested'")
    public int nested(Jobs self, int depth) {
        LockLease outer = CurrentLease.get().orElseThrow();
        return depth == 0 ? 0 : 1 + self.nested(self, depth - 1) + (CurrentLease.get().orElseThrow() == outer ? 0 : 100);
    }

    @DistributedLocked(key = "'nested'")
    public String nestedOther(Jobs self) {
        return self.byName(7) + " inside " + currentKey() + ", then " + currentKey();
    }

    @DistributedLocked(key = "'short'")
    public void outliveTheLease() {
        runs.incrementAndGet();
        LockLease lease = CurrentLease.get().orElseThrow();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isHeld());
    }
}
