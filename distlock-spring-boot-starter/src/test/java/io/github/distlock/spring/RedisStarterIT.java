package io.github.distlock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.distlock.testkit.server.FreePorts;
import io.github.distlock.testkit.server.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The starter on a real redis-server (distlock-redis). */
class RedisStarterIT extends AbstractStarterIT {

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void anUnreachableRedisFailsTheStart() {
        instance().withPropertyValues("distlock.uri=redis://127.0.0.1:" + FreePorts.allocate() + "?timeout=1s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("Connection refused"));
    }

    @Override
    String uri() {
        return server.uri();
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
        return server.command("EXISTS", prefix + "{" + key + "}").equals("1");
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
