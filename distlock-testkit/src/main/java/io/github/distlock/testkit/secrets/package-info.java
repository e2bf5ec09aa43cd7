/**
 * Checks that no secret leaks: {@link io.github.distlock.testkit.secrets.SecretLeakCheck} runs
 * {@link io.github.distlock.testkit.secrets.SecretsScenario} against a backend in a fresh JVM with
 * DEBUG logging on, and scans everything it logged and printed (exception messages, stack traces,
 * {@code toString()} of clients, options, leases, lock infos and losses) for passwords, owner
 * tokens and private-key material.
 */
package io.github.distlock.testkit.secrets;
