/**
 * The conformance test groups run by {@link io.github.distlock.testkit.AbstractLockConformanceTest}:
 * each group is an abstract class of JUnit tests over the public API, written against a
 * {@link io.github.distlock.testkit.LockBackendFixture} so that every backend runs the same tests
 * with timings derived from its own TTL granularity.
 */
package io.github.distlock.testkit.conformance;
