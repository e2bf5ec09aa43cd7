/**
 * Implementation of the etcd backend: key layout, the session lease, the two strategy drivers,
 * change notifications, URI parsing and the single place where jetcd failures are mapped.
 * Not an API: anything here may change in any release.
 */
package io.github.distlock.etcd.internal;
