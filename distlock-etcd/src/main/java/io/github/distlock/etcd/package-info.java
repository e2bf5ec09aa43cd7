/**
 * The etcd backend of distlock, on jetcd: {@link io.github.distlock.etcd.EtcdLockBackend} with the
 * strategies {@link io.github.distlock.etcd.EtcdLockStrategy#TXN} and
 * {@link io.github.distlock.etcd.EtcdLockStrategy#MUTEX}, opened from a jetcd
 * {@code ClientBuilder}, a borrowed {@code Client}, or an {@code etcd://} / {@code etcds://} URI
 * through {@link io.github.distlock.DistributedLocks#open(String)}.
 */
package io.github.distlock.etcd;
