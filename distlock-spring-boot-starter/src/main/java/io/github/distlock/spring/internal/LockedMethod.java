package io.github.distlock.spring.internal;

import io.github.distlock.LockOptions;
import io.github.distlock.LockType;
import io.github.distlock.spring.IfLocked;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import org.springframework.expression.Expression;

/**
 * One {@code @DistributedLocked} method, checked and parsed once: its key expression, its
 * durations (or {@code null} for the client's defaults), type and behaviour when locked.
 */
final class LockedMethod {

    private final Method method;
    private final Method parameterNames;
    private final String description;
    private final String keySource;
    private final Expression key;
    private final Duration ttl;
    private final Duration waitTimeout;
    private final LockType type;
    private final IfLocked ifLocked;
    private final boolean mayThrowInterrupted;
    private volatile OptionsForDefaults options;

    LockedMethod(Method method, Method parameterNames, String description, String keySource, Expression key,
            Duration ttl, Duration waitTimeout, LockType type, IfLocked ifLocked) {
        this.method = method;
        this.parameterNames = parameterNames;
        this.description = description;
        this.keySource = keySource;
        this.key = key;
        this.ttl = ttl;
        this.waitTimeout = waitTimeout;
        this.type = type;
        this.ifLocked = ifLocked;
        this.mayThrowInterrupted = declares(method, InterruptedException.class);
    }

    /** @return the method, as implemented by the target class */
    Method method() {
        return method;
    }

    /** @return the method whose parameter names the key sees: the implementation's, or the interface's */
    Method parameterNames() {
        return parameterNames;
    }

    /** @return {@code Class.method(ParamTypes)}, for messages */
    String description() {
        return description;
    }

    /** @return the key expression as written */
    String keySource() {
        return keySource;
    }

    /** @return the parsed key expression */
    Expression key() {
        return key;
    }

    /** @return what to do when the lock cannot be had */
    IfLocked ifLocked() {
        return ifLocked;
    }

    /** @return whether the method declares {@code InterruptedException} (or a supertype) */
    boolean mayThrowInterrupted() {
        return mayThrowInterrupted;
    }

    /** @return what a skipped call returns */
    Object skippedResult() {
        return method.getReturnType() == Optional.class ? Optional.empty() : null;
    }

    /**
     * The options of this method over a client's defaults: the annotation's values where given.
     * A wait timeout of zero means one attempt, without retries.
     *
     * @param defaults the client's default options
     * @return the options
     */
    LockOptions options(LockOptions defaults) {
        OptionsForDefaults cached = options;
        if (cached == null || cached.defaults != defaults) {
            LockOptions.Builder b = defaults.toBuilder().lockType(type);
            if (ttl != null) {
                b.ttl(ttl);
            }
            if (waitTimeout != null) {
                b.waitTimeout(waitTimeout);
            }
            if (b.build().waitTimeout().isZero()) {
                b.retryCount(0);
            }
            cached = new OptionsForDefaults(defaults, b.build());
            options = cached;
        }
        return cached.options;
    }

    private static boolean declares(Method method, Class<? extends Throwable> exception) {
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared.isAssignableFrom(exception)) {
                return true;
            }
        }
        return false;
    }

    private record OptionsForDefaults(LockOptions defaults, LockOptions options) {
    }
}
