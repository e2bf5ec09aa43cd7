package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.spring.actuate.DistlockHealthIndicator;
import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.EtcdServer;
import io.github.distlock.testkit.server.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Status;

/** The starter on a real etcd (distlock-etcd), MUTEX strategy. */
class EtcdStarterIT extends AbstractStarterIT {

    @RegisterExtension
    static final ClassResource<EtcdServer> SERVER = ClassResource.of(EtcdServer::start);

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
        return "etcd://" + SERVER.get().host() + ":" + SERVER.get().clientPort() + "?strategy=mutex";
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
        return !SERVER.get().etcdctl("get", "--prefix", "--keys-only", prefix + key + "/").isBlank();
    }

    @Override
    void pauseServer() {
        SERVER.get().pause();
    }

    @Override
    void resumeServer() {
        SERVER.get().resume();
    }
}
