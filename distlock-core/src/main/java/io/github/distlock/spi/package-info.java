/**
 * The backend SPI: what a lock store must offer distlock. A backend implements small, atomic,
 * non-blocking operations ({@link io.github.distlock.spi.LockBackend}); waiting, deadlines,
 * retries, reentrancy, renewal scheduling and lost-lock detection live once in the core engine.
 * A new backend is a small module that registers a {@link io.github.distlock.spi.LockBackendProvider}
 * with {@link java.util.ServiceLoader} and passes the conformance suite in {@code distlock-testkit}.
 */
package io.github.distlock.spi;
