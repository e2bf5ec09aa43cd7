package io.github.distlock.spring.internal;

import io.github.distlock.LockConfigurationException;
import io.github.distlock.spring.DistributedLocked;
import io.github.distlock.spring.IfLocked;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link DistributedLocked} methods and checks each once, when its bean's proxy is
 * created: a mistake fails the application's start with a {@link LockConfigurationException}
 * naming the method and the attribute.
 */
public final class LockedMethods {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final BeanFactory beanFactory;
    private final Map<MethodAndClass, Optional<LockedMethod>> cache = new ConcurrentHashMap<>();

    /**
     * Creates the registry.
     *
     * @param beanFactory resolves {@code ${...}} placeholders in durations
     */
    public LockedMethods(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Tells whether a method of a class is a {@code @DistributedLocked} method (on the class, a
     * superclass or an interface it implements).
     *
     * @param method the method
     * @param targetClass the target class, or {@code null}
     * @return whether it is locked
     * @throws LockConfigurationException if its annotation is wrong
     */
    public boolean isLocked(Method method, Class<?> targetClass) {
        return find(method, targetClass) != null;
    }

    /**
     * Returns the checked definition of a {@code @DistributedLocked} method.
     *
     * @param method the method called
     * @param targetClass the target class, or {@code null}
     * @return the definition, or {@code null} if the method is not locked
     */
    LockedMethod find(Method method, Class<?> targetClass) {
        return cache.computeIfAbsent(new MethodAndClass(method, targetClass),
                k -> Optional.ofNullable(parse(method, targetClass))).orElse(null);
    }

    private LockedMethod parse(Method method, Class<?> targetClass) {
        Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
        DistributedLocked locked = AnnotatedElementUtils.findMergedAnnotation(specific, DistributedLocked.class);
        if (locked == null) {
            return null;
        }
        String description = describe(specific, targetClass);
        String keySource = locked.key();
        if (keySource == null || keySource.isBlank()) {
            throw invalid(description, "key must be a SpEL expression, but is blank; a constant key is a quoted string: "
                    + "key = \"'my-lock'\"");
        }
        Expression key;
        try {
            key = PARSER.parseExpression(keySource);
        } catch (ParseException e) {
            throw invalid(description, "key '" + keySource + "' is not a valid SpEL expression: " + e.getSimpleMessage()
                    + " (at position " + e.getPosition() + "); a constant key is a quoted string: key = \"'my-lock'\"", e);
        }
        KeyExpressionChecks.checkRootNames(key, keySource, description);
        Duration ttl = duration(locked.ttl(), "ttl", description);
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw invalid(description, "ttl must be positive, but was '" + locked.ttl() + "'");
        }
        Duration waitTimeout = duration(locked.waitTimeout(), "waitTimeout", description);
        if (waitTimeout != null && waitTimeout.isNegative()) {
            throw invalid(description, "waitTimeout must not be negative, but was '" + locked.waitTimeout() + "'");
        }
        checkReturnType(specific, locked.ifLocked(), description);
        Method names = parameterNamesSource(specific, targetClass);
        KeyExpressionChecks.checkVariables(key, keySource, description, PARAMETER_NAMES.getParameterNames(names),
                specific.getParameterCount());
        return new LockedMethod(specific, names, description, keySource, key, ttl, waitTimeout, locked.type(),
                locked.ifLocked());
    }

    /**
     * Parameter names come from the implementation; a class compiled without {@code -parameters}
     * (or a lambda) has none, and then those of an interface declaring the method are used.
     */
    private static Method parameterNamesSource(Method specific, Class<?> targetClass) {
        if (PARAMETER_NAMES.getParameterNames(specific) != null) {
            return specific;
        }
        Class<?> owner = targetClass != null ? targetClass : specific.getDeclaringClass();
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(owner)) {
            Method declared = ClassUtils.getMethodIfAvailable(type, specific.getName(), specific.getParameterTypes());
            if (declared != null && PARAMETER_NAMES.getParameterNames(declared) != null) {
                return declared;
            }
        }
        return specific;
    }

    private Duration duration(String text, String attribute, String description) {
        if (text.isEmpty()) {
            return null;
        }
        String resolved = beanFactory instanceof ConfigurableBeanFactory cbf ? cbf.resolveEmbeddedValue(text) : text;
        try {
            return DurationStyle.detectAndParse(resolved == null ? "" : resolved.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(description, attribute + " must be a duration such as '500ms', '30s' or 'PT1M', but was '" + text + "'"
                    + (text.equals(resolved) ? "" : " (resolved to '" + resolved + "')"), e);
        }
    }

    private static void checkReturnType(Method method, IfLocked ifLocked, String description) {
        Class<?> type = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)
                || ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null) {
            throw invalid(description, "the method returns " + type.getName() + ": its work goes on after it returns, "
                    + "but the lock would be released when it returns. Lock inside the asynchronous work instead, "
                    + "or use DistributedLock.acquireAsync");
        }
        if (ifLocked == IfLocked.SKIP && type.isPrimitive() && type != void.class) {
            throw invalid(description, "ifLocked = SKIP needs a method returning void, a reference type or Optional, "
                    + "but it returns " + type.getName() + ": a skipped call would have no value to return");
        }
    }

    private static String describe(Method method, Class<?> targetClass) {
        Class<?> owner = targetClass != null ? targetClass : method.getDeclaringClass();
        return owner.getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    static LockConfigurationException invalid(String description, String problem) {
        return new LockConfigurationException("@DistributedLocked on " + description + ": " + problem);
    }

    private static LockConfigurationException invalid(String description, String problem, Throwable cause) {
        return new LockConfigurationException("@DistributedLocked on " + description + ": " + problem, cause);
    }

    private record MethodAndClass(Method method, Class<?> targetClass) {
    }
}
