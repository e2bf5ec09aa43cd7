package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.junit.ClassResource;
import io.github.distlock.testkit.server.FreePorts;
import io.github.distlock.testkit.server.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The starter on a real redis-server (distlock-redis). */
class RedisStarterIT extends AbstractStarterIT {

    @RegisterExtension
    static final ClassResource<RedisServer> SERVER = ClassResource.of(RedisServer::start);

    @Test
    void anUnreachableRedisFailsTheStart() {
        instance().withPropertyValues("distlock.uri=redis://127.0.0.1:" + FreePorts.allocate() + "?timeout=1s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("Connection refused"));
    }

    @Override
    String uri() {
        return SERVER.get().uri();
    }

    @Override
    String backend() {
        return "redis";
    }

    @Override
    String prefix(String id) {
        return "app-" + id + ":";
    }

    @Override
    boolean storeHasLockKey(String prefix, String key) {
        return SERVER.get().command("EXISTS", prefix + "{" + key + "}").equals("1");
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
