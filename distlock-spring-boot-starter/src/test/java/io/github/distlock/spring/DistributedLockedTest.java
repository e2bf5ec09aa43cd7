package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLockException;
import io.github.distlock.DistributedLocks;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockLease;
import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.spring.autoconfigure.DistlockAutoConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * {@code @DistributedLocked} on the {@code mem:} backend: keys, options, failure and skip, nesting,
 * ordering, and the checks made when the application starts. A second client on the same
 * {@code mem:} store plays another instance of the application.
 */
class DistributedLockedTest {

    private final String store = "locked-" + UUID.randomUUID();
    private final DistributedLock otherInstance = DistributedLocks.open("mem:" + store);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
            .withPropertyValues("distlock.uri=mem:" + store)
            .withUserConfiguration(Jobs.Application.class);

    @AfterEach
    void closeOtherInstance() {
        otherInstance.close();
    }

    @Test
    void keysSeeParametersByNameAndPositionTheRootAndBeans() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.byName(42)).isEqualTo("invoice-42");
            assertThat(jobs.byPosition("a", 7)).isEqualTo("pos-a-7");
            assertThat(jobs.byRootAndProperties(new Jobs.Order("acme", 9))).isEqualTo("byRootAndProperties-acme-9");
            assertThat(jobs.byBean("x")).isEqualTo("bean-x");
            assertThat(jobs.byNumbers(List.of(5, 6))).isEqualTo("5");
            assertThat(CurrentLease.get()).isEmpty();
        });
    }

    @Test
    void theMethodRunsWhileTheLockIsHeldAndItIsReleasedAfterwards() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            LockLease lease = jobs.held();
            assertThat(jobs.runs()).isEqualTo(1);
            assertThat(lease.key()).isEqualTo("held");
            assertThat(lease.isHeld()).as("released when the method returned").isFalse();
            assertThat(otherInstance.isLocked("held")).isFalse();
            assertThat(context.getBean(DistributedLock.class).heldLeases()).isEmpty();
        });
    }

    @Test
    void theLockIsHeldInsideTheMethod() {
        runner.withUserConfiguration(ObservingConfiguration.class).run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            ObservingConfiguration.seen.set(null);
            jobs.held();
            assertThat(ObservingConfiguration.seen.get()).isEqualTo("held by the method's lease");
        });
    }

    /** An advice of the default order (as {@code @Transactional}'s) runs inside the lock. */
    @Configuration(proxyBeanMethods = false)
    static class ObservingConfiguration {
        static final AtomicReference<String> seen = new AtomicReference<>();

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static Advisor observingAdvisor() {
            MethodInterceptor observe = invocation -> {
                seen.set(CurrentLease.get().map(l -> l.isHeld() ? "held by the method's lease" : "lost").orElse("not held"));
                return invocation.proceed();
            };
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                    AnnotationMatchingPointcut.forMethodAnnotation(DistributedLocked.class), observe);
            advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
            return advisor;
        }
    }

    @Test
    void theMethodsExceptionReachesTheCallerUnchangedAndTheLockIsReleased() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThatThrownBy(jobs::failing).isExactlyInstanceOf(IOException.class).hasMessage("the method's own failure");
            assertThat(otherInstance.isLocked("failing")).isFalse();
            assertThat(context.getBean(DistributedLock.class).heldLeases()).isEmpty();
        });
    }

    @Test
    void aHeldLockFailsTheCallAtOnceOrAfterTheWaitTimeout() throws Exception {
        try (LockLease taken = otherInstance.acquire("busy")) {
            runner.run(context -> {
                Jobs jobs = context.getBean(Jobs.class);
                assertThatThrownBy(jobs::busyFailAtOnce).isInstanceOf(LockAcquisitionTimeoutException.class)
                        .satisfies(e -> {
                            assertThat(((LockAcquisitionTimeoutException) e).key()).isEqualTo("busy");
                            assertThat(((LockAcquisitionTimeoutException) e).waited()).isZero();
                        });
                assertThatThrownBy(jobs::busyFailAfterWaiting).isInstanceOf(LockAcquisitionTimeoutException.class)
                        .satisfies(e -> assertThat(((LockAcquisitionTimeoutException) e).waited()).isEqualTo(Duration.ofMillis(50)));
                assertThat(jobs.runs()).isEqualTo(0);
            });
        }
    }

    @Test
    void skipReturnsNullOrAnEmptyOptionalWithoutCallingTheMethod() throws Exception {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (LockLease taken = otherInstance.acquire("busy")) {
                assertThat(jobs.busySkip()).isNull();
                assertThat(jobs.busySkipOptional()).isEmpty();
                assertThat(jobs.runs()).isEqualTo(0);
            }
            assertThat(jobs.busySkip()).isEqualTo("ran");
            assertThat(jobs.busySkipOptional()).contains("ran");
            assertThat(jobs.runs()).isEqualTo(2);
        });
    }

    @Test
    void annotationAttributesAndPropertiesSetTheOptions() {
        runner.withPropertyValues("jobs.ttl=12s", "distlock.default-ttl=20s").run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.ttl()).isEqualTo(Duration.ofSeconds(12));
            assertThat(jobs.shared()).isEqualTo(LockType.SHARED);
            assertThat(jobs.held().ttl()).as("distlock.default-ttl").isEqualTo(Duration.ofSeconds(20));
        });
        runner.run(context -> assertThat(context.getBean(Jobs.class).ttl()).as("placeholder default")
                .isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void sharedMethodsLetOtherReadersIn() throws Exception {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (LockLease reader = otherInstance.acquire("shared", LockOptions.builder().shared().build())) {
                assertThat(jobs.shared()).isEqualTo(LockType.SHARED);
            }
        });
    }

    @Test
    void nestedCallsOfTheSameKeyReenterOnTheSameThread() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.nested(jobs, 3)).isEqualTo(3);
            assertThat(jobs.nestedOther(jobs)).isEqualTo("invoice-7 inside nested, then nested");
            assertThat(otherInstance.isLocked("nested")).isFalse();
        });
    }

    @Test
    void aNullOrBlankKeyFailsTheCallNamingTheMethodAndTheExpression() {
        runner.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThatThrownBy(() -> jobs.byNullable(null)).isInstanceOf(InvalidLockArgumentException.class)
                    .hasMessageContaining("'#id'").hasMessageContaining("Jobs.byNullable(String)")
                    .hasMessageContaining("evaluated to null");
            assertThatThrownBy(() -> jobs.byNullable(" ")).isInstanceOf(InvalidLockArgumentException.class)
                    .hasMessageContaining("blank");
            assertThatThrownBy(() -> jobs.byNumbers(null)).isInstanceOf(InvalidLockArgumentException.class)
                    .hasMessageContaining("could not be evaluated").hasMessageContaining("Jobs.byNumbers(List)");
        });
    }

    @Test
    void anInterruptWhileWaitingEndsTheCallWithTheInterruptFlagSet() throws Exception {
        try (LockLease taken = otherInstance.acquire("busy")) {
            runner.run(context -> {
                Jobs jobs = context.getBean(Jobs.class);
                CompletableFuture<Throwable> plain = new CompletableFuture<>();
                CompletableFuture<Throwable> declared = new CompletableFuture<>();
                Thread a = new Thread(() -> {
                    try {
                        jobs.busyWaitForever();
                    } catch (Throwable t) {
                        plain.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag not set", t));
                    }
                });
                Thread b = new Thread(() -> {
                    try {
                        jobs.busyWaitForeverInterruptibly();
                    } catch (Throwable t) {
                        declared.complete(t);
                    }
                });
                a.start();
                b.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting(a) && waiting(b));
                a.interrupt();
                b.interrupt();
                assertThat(plain.get()).isInstanceOf(DistributedLockException.class).hasMessageContaining("interrupted")
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(declared.get()).isInstanceOf(InterruptedException.class);
                assertThat(jobs.runs()).isEqualTo(0);
            });
        }
    }

    private static boolean waiting(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
    }

    @Test
    void annotationsOnInterfacesWork() {
        runner.withUserConfiguration(ReportsConfiguration.class).run(context -> {
            assertThat(context.getBean(Reports.class).report("q3")).isEqualTo("report-q3");
        });
    }

    /** A locked method declared on an interface. */
    public interface Reports {
        @DistributedLocked(key = "'report-' + #name")
        String report(String name);
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportsConfiguration {
        @Bean
        Reports reports() {
            return name -> CurrentLease.get().orElseThrow().key();
        }
    }

    @Test
    void theAdviceUsesTheApplicationsOwnDistributedLockBean() {
        try (DistributedLock own = DistributedLocks.open("mem:" + store + "-own")) {
            runner.withBean("ownLock", DistributedLock.class, () -> own, d -> d.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).getBean(DistributedLock.class).isSameAs(own);
                        assertThat(context.getBean(Jobs.class).held().key()).isEqualTo("held");
                    });
        }
    }

    /** A composed annotation. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @DistributedLocked(key = "'composed-' + #p0", waitTimeout = "0", ifLocked = IfLocked.SKIP)
    @interface NightlyJob {
    }

    /** Locked methods declared on a superclass and through a composed annotation. */
    public static class BaseJobs {
        @DistributedLocked(key = "'base-' + #name")
        public String inherited(String name) {
            return "base";
        }
    }

    /** Overrides without repeating the annotation. */
    public static class DerivedJobs extends BaseJobs {
        @Override
        public String inherited(String name) {
            return CurrentLease.get().orElseThrow().key();
        }

        @NightlyJob
        public String nightly(String day) {
            return CurrentLease.get().orElseThrow().key();
        }
    }

    @Test
    void annotationsOnSuperclassMethodsAndComposedAnnotationsWork() throws Exception {
        runner.withBean(DerivedJobs.class).run(context -> {
            DerivedJobs jobs = context.getBean(DerivedJobs.class);
            assertThat(jobs.inherited("x")).isEqualTo("base-x");
            assertThat(jobs.nightly("mon")).isEqualTo("composed-mon");
            try (LockLease taken = otherInstance.acquire("composed-tue")) {
                assertThat(jobs.nightly("tue")).as("skipped").isNull();
            }
        });
    }

    @Test
    void aLockLostWhileTheMethodRanFailsTheCallWhenItEnds() {
        runner.withPropertyValues("distlock.auto-renew=false", "distlock.default-ttl=200ms").run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThatThrownBy(jobs::outliveTheLease).isInstanceOf(io.github.distlock.LockLostException.class);
            assertThat(jobs.runs()).isEqualTo(1);
        });
    }

    // ---- mistakes found when the application starts ----

    static class BlankKey {
        @DistributedLocked(key = " ")
        public void run() {
        }
    }

    static class BadExpression {
        @DistributedLocked(key = "'a' +")
        public void run(String id) {
        }
    }

    static class UnquotedConstant {
        @DistributedLocked(key = "nightly-report")
        public void run() {
        }
    }

    static class UnknownRootName {
        @DistributedLocked(key = "'order-' + id")
        public void run(String id) {
        }
    }

    static class UnknownVariable {
        @DistributedLocked(key = "'invoice-' + #invoceId")
        public void run(long invoiceId) {
        }
    }

    static class PositionOutOfRange {
        @DistributedLocked(key = "#p1")
        public void run(long invoiceId) {
        }
    }

    static class BadDuration {
        @DistributedLocked(key = "'k'", ttl = "ten seconds")
        public void run() {
        }
    }

    static class NegativeWait {
        @DistributedLocked(key = "'k'", waitTimeout = "-1s")
        public void run() {
        }
    }

    static class SkipReturningPrimitive {
        @DistributedLocked(key = "'k'", ifLocked = IfLocked.SKIP)
        public int run() {
            return 1;
        }
    }

    static class ReturningFuture {
        @DistributedLocked(key = "'k'")
        public CompletableFuture<String> run() {
            return CompletableFuture.completedFuture("x");
        }
    }

    @Test
    void mistakesFailTheStartNamingTheMethodAndTheProblem() {
        startFails(BlankKey.class, "BlankKey.run()", "key must be a SpEL expression, but is blank");
        startFails(BadExpression.class, "BadExpression.run(String)", "key ''a' +' is not a valid SpEL expression");
        startFails(UnquotedConstant.class, "UnquotedConstant.run()", "reads 'nightly'", "key = \"'nightly-report'\"");
        startFails(UnknownRootName.class, "UnknownRootName.run(String)", "reads 'id'", "write #id");
        startFails(UnknownVariable.class, "UnknownVariable.run(long)", "reads #invoceId", "its parameters are [invoiceId]");
        startFails(PositionOutOfRange.class, "PositionOutOfRange.run(long)", "reads #p1");
        startFails(BadDuration.class, "BadDuration.run()", "ttl must be a duration", "'ten seconds'");
        startFails(NegativeWait.class, "NegativeWait.run()", "waitTimeout must not be negative");
        startFails(SkipReturningPrimitive.class, "SkipReturningPrimitive.run()", "ifLocked = SKIP", "returns int");
        startFails(ReturningFuture.class, "ReturningFuture.run()", "returns java.util.concurrent.CompletableFuture",
                "acquireAsync");
    }

    private <T> void startFails(Class<T> type, String... messageParts) {
        runner.withBean(type).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null && !(cause instanceof io.github.distlock.LockConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(io.github.distlock.LockConfigurationException.class)
                    .hasMessageStartingWith("@DistributedLocked on " + DistributedLockedTest.class.getName());
            for (String part : messageParts) {
                assertThat(cause).hasMessageContaining(part);
            }
        });
    }
}
