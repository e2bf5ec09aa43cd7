package io.github.distlock.spring.internal;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLockException;
import io.github.distlock.InvalidLockArgumentException;
import io.github.distlock.LockAcquisitionTimeoutException;
import io.github.distlock.LockOptions;
import io.github.distlock.spring.IfLocked;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;

/**
 * Runs a {@code @DistributedLocked} method while holding its lock: evaluates the key, takes the
 * lock for the calling thread (reentrant), calls the method, releases the lock.
 */
public final class DistributedLockedInterceptor implements MethodInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedLockedInterceptor.class);
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final LockedMethods methods;
    private final ObjectProvider<DistributedLock> locks;
    private final BeanFactoryResolver beans;
    private volatile DistributedLock lock;

    /**
     * Creates the interceptor.
     *
     * @param methods the checked locked methods
     * @param locks the client, looked up at the first call (not while beans are being created)
     * @param beanFactory resolves {@code @beanName} in key expressions
     */
    public DistributedLockedInterceptor(LockedMethods methods, ObjectProvider<DistributedLock> locks, BeanFactory beanFactory) {
        this.methods = methods;
        this.locks = locks;
        this.beans = new BeanFactoryResolver(beanFactory);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target == null ? null : AopUtils.getTargetClass(target);
        LockedMethod method = methods.find(invocation.getMethod(), targetClass);
        if (method == null) {
            return invocation.proceed();
        }
        DistributedLock client = client();
        String key = key(method, target, targetClass, invocation.getArguments());
        LockOptions options = method.options(client.defaultOptions());
        if (!acquire(client, key, options, method)) {
            LOG.debug("skipped {}: lock '{}' is held elsewhere", method.description(), key);
            return method.skippedResult();
        }
        LockedInvocationLeases.push(client.currentLease(key).orElseThrow());
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            LockedInvocationLeases.pop();
            try {
                client.unlock(key);
            } catch (RuntimeException unlockFailure) {
                failure.addSuppressed(unlockFailure);
            }
            throw failure;
        }
        LockedInvocationLeases.pop();
        client.unlock(key);
        return result;
    }

    private boolean acquire(DistributedLock client, String key, LockOptions options, LockedMethod method)
            throws InterruptedException {
        try {
            if (options.waitTimeout().isZero()) {
                if (client.tryLock(key, options)) {
                    return true;
                }
                if (method.ifLocked() == IfLocked.SKIP) {
                    return false;
                }
                throw new LockAcquisitionTimeoutException(key, options.waitTimeout());
            }
            client.lock(key, options);
            return true;
        } catch (LockAcquisitionTimeoutException timeout) {
            if (method.ifLocked() == IfLocked.SKIP) {
                return false;
            }
            throw timeout;
        } catch (InterruptedException interrupted) {
            if (method.mayThrowInterrupted()) {
                throw interrupted;
            }
            Thread.currentThread().interrupt();
            throw new DistributedLockException("interrupted while waiting for lock '" + key + "' of "
                    + method.description() + " (the thread's interrupt flag is set again)", interrupted);
        }
    }

    private String key(LockedMethod method, Object target, Class<?> targetClass, Object[] args) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
                new LockKeyRoot(method.method(), target, targetClass, args), method.parameterNames(), args, PARAMETER_NAMES);
        context.setBeanResolver(beans);
        Object value;
        try {
            value = method.key().getValue(context);
        } catch (EvaluationException e) {
            InvalidLockArgumentException invalid = new InvalidLockArgumentException("key", "@DistributedLocked key '"
                    + method.keySource() + "' of " + method.description() + " could not be evaluated: " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
        if (value == null) {
            throw new InvalidLockArgumentException("key", "@DistributedLocked key '" + method.keySource() + "' of "
                    + method.description() + " evaluated to null");
        }
        String key = value.toString();
        if (key.isBlank()) {
            throw new InvalidLockArgumentException("key", "@DistributedLocked key '" + method.keySource() + "' of "
                    + method.description() + " evaluated to a blank key '" + key + "'");
        }
        return key;
    }

    private DistributedLock client() {
        DistributedLock client = lock;
        if (client == null) {
            client = locks.getObject();
            lock = client;
        }
        return client;
    }
}
