package io.github.distlock.etcd;

import io.github.distlock.LockClientOptions;
import io.github.distlock.etcd.internal.EtcdUri;
import io.github.distlock.spi.LockBackend;
import io.github.distlock.spi.LockBackendProvider;
import java.util.Set;

/**
 * Opens {@code etcd://} and {@code etcds://} URIs for
 * {@link io.github.distlock.DistributedLocks#open(String)}:
 *
 * <pre>
 * etcd://127.0.0.1:2379
 * etcd://user:secret@etcd-1:2379,etcd-2:2379,etcd-3:2379?strategy=mutex&amp;prefix=/myapp/locks/
 * etcds://etcd-1:2379?cacert=/etc/ssl/etcd-ca.pem&amp;cert=/etc/ssl/client.pem&amp;key=/etc/ssl/client-key.pem
 * </pre>
 *
 * The backend's operation timeout is the client's {@link LockClientOptions#operationTimeout()}.
 */
public final class EtcdBackendProvider implements LockBackendProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public EtcdBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("etcd", "etcds");
    }

    @Override
    public LockBackend open(String uri, LockClientOptions options) {
        EtcdUri parsed = EtcdUri.parse(uri);
        return EtcdLockBackend.builder()
                .clientBuilder(parsed.clientBuilder(options.operationTimeout()))
                .strategy(parsed.strategy())
                .keyPrefix(parsed.prefix())
                .operationTimeout(options.operationTimeout())
                .build();
    }
}
