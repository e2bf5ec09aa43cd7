package io.github.distlock.spring.internal;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The root object of a {@code @DistributedLocked} key expression: {@code #root.method},
 * {@code #root.methodName}, {@code #root.target}, {@code #root.targetClass}, {@code #root.args}.
 */
public final class LockKeyRoot {

    /** The property names a key expression may use without {@code #root.}. */
    static final List<String> PROPERTIES = List.of("method", "methodName", "target", "targetClass", "args");

    private final Method method;
    private final Object target;
    private final Class<?> targetClass;
    private final Object[] args;

    LockKeyRoot(Method method, Object target, Class<?> targetClass, Object[] args) {
        this.method = method;
        this.target = target;
        this.targetClass = targetClass;
        this.args = args;
    }

    /** @return the method called */
    public Method getMethod() {
        return method;
    }

    /** @return its name */
    public String getMethodName() {
        return method.getName();
    }

    /** @return the bean whose method is called */
    public Object getTarget() {
        return target;
    }

    /** @return the bean's class */
    public Class<?> getTargetClass() {
        return targetClass;
    }

    /** @return the call's arguments */
    public Object[] getArgs() {
        return args;
    }
}
