package io.github.distlock.spring;

import io.github.distlock.testkit.server.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
