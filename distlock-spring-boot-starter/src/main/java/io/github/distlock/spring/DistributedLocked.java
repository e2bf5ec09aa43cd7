package io.github.distlock.spring;

import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method of a Spring bean while holding a distributed lock. The starter's
 * auto-configuration applies it through Spring AOP, with the application's
 * {@link io.github.distlock.DistributedLock} bean.
 *
 * <pre>{@code
 * @DistributedLocked(key = "'invoice-' + #invoiceId", waitTimeout = "5s")
 * public void settle(long invoiceId) { ... }
 *
 * @Scheduled(cron = "0 0 2 * * *")
 * @DistributedLocked(key = "'nightly-report'", waitTimeout = "0", ifLocked = IfLocked.SKIP)
 * public void nightlyReport() { ... }   // runs on one instance; the others skip it
 * }</pre>
 *
 * <p>The lock is taken with the key-based, thread-bound API: nested {@code @DistributedLocked}
 * calls of the same key on the same thread re-enter without a round trip, and the lock is
 * released when the method returns or throws; the method's exception reaches the caller
 * unchanged. {@link CurrentLease#get()} gives the method its lease, for the fencing token.
 *
 * <p>When the lock cannot be had ({@code waitTimeout} passed, or the lock was held at once with
 * {@code waitTimeout = "0"}), the call fails with {@link LockAcquisitionTimeoutException}, or
 * with {@link IfLocked#SKIP} the method is not called and the call returns {@code null}
 * ({@code Optional.empty()} for a method returning {@code Optional}).
 *
 * <p>Mistakes are reported when the bean is created, naming the method and the expression: a
 * blank or unparsable key, an unparsable duration, {@code SKIP} on a method returning a
 * primitive, and methods returning {@code CompletionStage}, {@code Future} or a reactive type
 * (the lock would be released when the method returns, before the work ends). A key that
 * evaluates to {@code null} or blank fails the call with
 * {@link io.github.distlock.InvalidLockArgumentException}.
 *
 * <p>As with every Spring proxy, only calls through the bean reach the lock: a call from the
 * bean to its own method ({@code this.settle(...)}) does not lock.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLocked {

    /**
     * The lock key, a SpEL expression evaluated for each call. It sees the method's parameters by
     * name ({@code #invoiceId}; compile with {@code -parameters}, as Spring Boot's build plugins
     * do) and by position ({@code #p0}, {@code #a0}), {@code #root.method}, {@code #root.target},
     * {@code #root.args}, and beans as {@code @beanName}. A constant key is a quoted string:
     * {@code key = "'nightly-report'"}. The result's {@code toString()} is the key.
     *
     * @return the key expression
     */
    String key();

    /**
     * The lock's TTL, like {@code "30s"}, {@code "500ms"}, {@code "PT1M"} or a
     * {@code ${property}} placeholder; a bare number is milliseconds. Empty: the client's default
     * ({@code distlock.default-ttl}, 30 s). With auto-renew (the default) the watchdog renews
     * the lock every third of it while the method runs.
     *
     * @return the TTL, or empty for the default
     */
    String ttl() default "";

    /**
     * How long to wait for the lock, in the same forms as {@link #ttl()}; {@code "0"} does not
     * wait: one attempt. Empty: the client's default ({@code distlock.wait-timeout}, unset by
     * default: wait until the lock is free).
     *
     * @return the wait timeout, or empty for the default
     */
    String waitTimeout() default "";

    /**
     * Exclusive (one holder, the default) or shared (many readers, no writer).
     *
     * @return the lock type
     */
    LockType type() default LockType.EXCLUSIVE;

    /**
     * What happens when the lock cannot be had: fail with
     * {@link LockAcquisitionTimeoutException} (the default), or skip the method.
     *
     * @return the behaviour
     */
    IfLocked ifLocked() default IfLocked.FAIL;
}
