/**
 * The lock engine. Classes in this package are part of the internal API and may change without
 * further notice; use the types in {@code io.github.distlock} instead.
 */
package io.github.distlock.internal;
