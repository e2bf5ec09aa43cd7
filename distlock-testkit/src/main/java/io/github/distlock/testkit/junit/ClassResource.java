package io.github.distlock.testkit.junit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A resource that one test class shares: a server, a cluster, a raw client. Created before the
 * class's first test and closed after its last, so the start/stop pair is not written again in
 * every integration test. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassResource<RedisServer> REDIS = ClassResource.of(RedisServer::start);
 *
 * @RegisterExtension // created after REDIS, closed before it
 * static final ClassResource<Client> RAW = ClassResource.of(() -> rawClient(REDIS.get().uri()));
 * }</pre>
 *
 * <p>JUnit calls static extensions in the order the fields are declared and closes them in the
 * reverse order, so a resource may use one declared above it. A resource that failed to start
 * fails the class; one that was never created is not closed.
 *
 * @param <T> the resource's type
 */
public final class ClassResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Factory<? extends T> create;
    private volatile T resource;

    private ClassResource(Factory<? extends T> create) {
        this.create = create;
    }

    /**
     * A resource that {@code create} makes before the class's first test.
     *
     * @param create makes the resource; called once per test class, and what it throws fails the class
     * @param <T> the resource's type
     * @return the extension, to register with {@code @RegisterExtension} on a static field
     * @throws NullPointerException if {@code create} is null
     */
    public static <T extends AutoCloseable> ClassResource<T> of(Factory<? extends T> create) {
        return new ClassResource<>(Objects.requireNonNull(create, "create"));
    }

    /**
     * Returns the resource.
     *
     * @return the resource created for the running test class
     * @throws IllegalStateException outside the class's tests (before it was created or after it was closed)
     */
    public T get() {
        T r = resource;
        if (r == null) {
            throw new IllegalStateException("the resource exists only while its test class runs"
                    + " (register this ClassResource on a static field with @RegisterExtension)");
        }
        return r;
    }

    /** Creates the resource. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        resource = Objects.requireNonNull(create.create(), "the resource's factory returned null");
    }

    /**
     * Makes a class's resource; unlike a {@code Supplier} it may throw, as starting a server does.
     *
     * @param <T> the resource's type
     */
    @FunctionalInterface
    public interface Factory<T> {
        /**
         * Makes the resource.
         *
         * @return the resource, never null
         * @throws Exception if it cannot be made
         */
        T create() throws Exception;
    }

    /** Closes the resource, if it was created. */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T r = resource;
        resource = null;
        if (r != null) {
            r.close();
        }
    }
}
