/**
 * Redis backend internals: key layout, Lua scripts, script execution and release notifications.
 * Classes in this package are part of the internal API and may change without further notice.
 */
package io.github.distlock.redis.internal;
