package io.github.distlock.spring;

import io.github.distlock.testkit.server.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
