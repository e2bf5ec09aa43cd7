/**
 * The in-memory backend ({@code mem:}): the reference implementation of every lock semantic,
 * used by the conformance suite's own tests and by the CLI demo. A store lives in one JVM; it
 * is no distributed lock, but it behaves like one in every observable way (TTLs, fencing tokens,
 * owner-checked release, release notifications, shared locks without writer starvation).
 */
package io.github.distlock.mem;
