package io.github.distlock.spring.internal;

import io.github.distlock.spring.DistributedLocked;
import java.lang.reflect.Method;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Matches the {@code @DistributedLocked} methods. Matching checks each annotation, so a wrong one
 * fails the creation of its bean, when the application starts.
 */
public final class DistributedLockedPointcut extends StaticMethodMatcherPointcut {

    private final LockedMethods methods;

    /**
     * Creates the pointcut.
     *
     * @param methods the checked locked methods
     */
    public DistributedLockedPointcut(LockedMethods methods) {
        this.methods = methods;
        setClassFilter(type -> AnnotationUtils.isCandidateClass(type, DistributedLocked.class));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return methods.isLocked(method, targetClass);
    }
}
