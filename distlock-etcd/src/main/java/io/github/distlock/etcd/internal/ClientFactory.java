package io.github.distlock.etcd.internal;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ClientInterceptor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the jetcd clients the backend owns.
 */
public final class ClientFactory {

    private ClientFactory() {
    }

    /**
     * A builder for plain endpoints, tuned to fail fast: no waiting for a ready connection
     * (a call to a server that is down fails at once instead of hanging), and a connect timeout.
     *
     * @param endpoints URLs such as {@code http://host:2379}, or {@code host:port}
     * @param timeout the operation timeout, also used as connect timeout
     * @return the builder
     */
    public static ClientBuilder forEndpoints(List<String> endpoints, Duration timeout) {
        List<URI> uris = new ArrayList<>();
        for (String e : endpoints) {
            uris.add(URI.create(e.contains("://") ? e : "http://" + e));
        }
        return Client.builder().endpoints(uris).waitForReady(false).connectTimeout(timeout);
    }

    /**
     * Builds a client from a copy of {@code builder}, adding a deadline of {@code timeout} to
     * every unary call (jetcd sets none). The caller's builder is not changed.
     *
     * @param builder the jetcd builder
     * @param timeout the per-call deadline
     * @return the client
     */
    public static Client build(ClientBuilder builder, Duration timeout) {
        return build(builder, timeout, null);
    }

    /** {@link #build(ClientBuilder, Duration)}, with {@code leaseStream} (if not null) on the channel too. */
    static Client build(ClientBuilder builder, Duration timeout, LeaseStream leaseStream) {
        ClientBuilder copy = builder.copy();
        List<ClientInterceptor> interceptors = new ArrayList<>();
        if (builder.interceptors() != null) {
            interceptors.addAll(builder.interceptors());
        }
        interceptors.add(new DeadlineInterceptor(timeout));
        if (leaseStream != null) {
            interceptors.add(leaseStream);
        }
        copy.interceptors(interceptors);
        return copy.build();
    }
}
