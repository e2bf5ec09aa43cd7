package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.spring.actuate.DistlockHealthIndicator;
import io.github.distlock.testkit.server.EtcdServer;
import io.github.distlock.testkit.server.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The starter on a real etcd (distlock-etcd), MUTEX strategy. */
class EtcdStarterIT extends AbstractStarterIT {

    private static EtcdServer server;

    @BeforeAll
    static void startServer() {
        server = EtcdServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void anUnreachableEtcdStartsTheApplicationAndShowsInHealth() {
        instance().withPropertyValues("distlock.uri=etcd://127.0.0.1:" + FreePorts.allocate(), "distlock.operation-timeout=1s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DistlockHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Override
    String uri() {
        return "etcd://" + server.host() + ":" + server.clientPort() + "?strategy=mutex";
    }

    @Override
    String backend() {
        return "etcd";
    }

    @Override
    String prefix(String id) {
        return "/app-" + id + "/";
    }

    @Override
    boolean storeHasLockKey(String prefix, String key) {
        return !server.etcdctl("get", "--prefix", "--keys-only", prefix + key + "/").isBlank();
    }

    @Override
    void pauseServer() {
        server.pause();
    }

    @Override
    void resumeServer() {
        server.resume();
    }
}
