/**
 * JMH microbenchmarks of distlock's hot paths, without a server: the core engine's acquire and
 * release on the in-memory backend, the Redis backend's key and script-argument encoding, and
 * the in-memory store's operations. Run them with {@code scripts/bench --jmh}.
 */
package io.github.distlock.bench.jmh;
