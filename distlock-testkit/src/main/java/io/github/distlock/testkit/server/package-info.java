/**
 * Test fixtures that run <em>real</em> {@code redis-server} and {@code etcd} processes from the
 * Debian binaries, on free loopback ports, each in its own temporary directory.
 *
 * <p>Use them when a test must see how a lock behaves against a real server: a restart that loses
 * data, a process killed with {@code SIGKILL}, a process frozen with {@code SIGSTOP} (which looks to
 * clients like a long GC pause or a network stall), or an etcd leader that dies. Every wait has a
 * deadline, and a server that does not become ready fails with the tail of its log.
 *
 * <ul>
 *   <li>{@link io.github.distlock.testkit.server.RedisServer}: one Redis server (optionally with TLS,
 *       ACL users, a config file, or as a sentinel).
 *   <li>{@link io.github.distlock.testkit.server.RedisCluster}: a Redis Cluster of several masters,
 *       optionally with replicas, with slot computation and slot-owner lookup.
 *   <li>{@link io.github.distlock.testkit.server.RedisSentinelGroup}: a master, a replica and three
 *       sentinels, with a failover helper.
 *   <li>{@link io.github.distlock.testkit.server.TestCertificates}: a throw-away CA with server and
 *       client certificates (PEM, PKCS#8, PKCS#12) generated with {@code openssl}.
 *   <li>{@link io.github.distlock.testkit.server.EtcdServer}: one etcd member (single-node cluster,
 *       or a member of an {@link io.github.distlock.testkit.server.EtcdCluster}).
 *   <li>{@link io.github.distlock.testkit.server.EtcdCluster}: several etcd members forming one
 *       cluster, with leader lookup and leader failover helpers.
 *   <li>{@link io.github.distlock.testkit.server.ServerProcess},
 *       {@link io.github.distlock.testkit.server.ServerBinaries},
 *       {@link io.github.distlock.testkit.server.FreePorts},
 *       {@link io.github.distlock.testkit.server.RespConnection}: the building blocks.
 * </ul>
 *
 * <p>Missing binaries make tests fail (never skip) with the command that installs them.
 */
package io.github.distlock.testkit.server;
