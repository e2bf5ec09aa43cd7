package io.github.distlock.etcd;

import io.github.distlock.testkit.server.FreePorts;
import io.github.distlock.testkit.server.ServerBinaries;
import io.github.distlock.testkit.server.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single etcd node serving clients over TLS and requiring client certificates, with a CA,
 * server and client certificates made by {@code openssl} at start (EC P-256 keys, PKCS#8 PEM).
 */
final class TlsEtcd implements AutoCloseable {

    private final Path dir;
    private final int clientPort;
    private final ServerProcess process;

    private TlsEtcd(Path dir, int clientPort, ServerProcess process) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.process = process;
    }

    static TlsEtcd start() throws Exception {
        Path dir = Files.createTempDirectory("distlock-etcd-tls-");
        makeCertificates(dir);
        int[] ports = FreePorts.allocate(2);
        String client = "https://127.0.0.1:" + ports[0];
        String peer = "http://127.0.0.1:" + ports[1];
        List<String> cmd = List.of(ServerBinaries.etcd().toString(),
                "--name", "tls1", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "tls1=" + peer, "--initial-cluster-state", "new",
                "--cert-file", dir.resolve("server.pem").toString(),
                "--key-file", dir.resolve("server-key.pem").toString(),
                "--trusted-ca-file", dir.resolve("ca.pem").toString(),
                "--client-cert-auth");
        ServerProcess process = ServerProcess.start("etcd-tls", cmd, dir, dir.resolve("etcd.log"));
        TlsEtcd etcd = new TlsEtcd(dir, ports[0], process);
        try {
            etcd.awaitHealthy();
        } catch (Exception e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    int clientPort() {
        return clientPort;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    private void awaitHealthy() {
        try {
            org.awaitility.Awaitility.await("TLS etcd healthy").atMost(java.time.Duration.ofSeconds(20))
                    .pollInterval(java.time.Duration.ofMillis(200)).until(this::healthy);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("TLS etcd did not become healthy; log:\n" + process.logTail(30), e);
        }
    }

    private boolean healthy() throws Exception {
        Process p = new ProcessBuilder(etcdctlCommand(List.of("--dial-timeout=1s", "endpoint", "health")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
            return true;
        }
        p.destroyForcibly();
        return false;
    }

    /**
     * Runs {@code etcdctl} against this server with the client certificate, for example
     * {@code etcdctl("--user", "root:pw", "auth", "enable")}.
     *
     * @return its output
     * @throws IllegalStateException if it fails or takes longer than 30 s
     */
    String etcdctl(String... args) throws Exception {
        Process p = new ProcessBuilder(etcdctlCommand(List.of(args))).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /**
     * Adds a user whose role {@code <user>-role} may read and write the keys under {@code prefix}
     * only. Call before {@link #enableAuth}.
     */
    void addUser(String user, String password, String prefix) throws Exception {
        etcdctl("role", "add", user + "-role");
        etcdctl("role", "grant-permission", user + "-role", "--prefix=true", "readwrite", prefix);
        etcdctl("user", "add", user + ":" + password);
        etcdctl("user", "grant-role", user, user + "-role");
    }

    /** Adds {@code root} with {@code rootPassword} and turns authentication on. */
    void enableAuth(String rootPassword) throws Exception {
        etcdctl("user", "add", "root:" + rootPassword);
        etcdctl("user", "grant-role", "root", "root");
        etcdctl("auth", "enable");
    }

    private List<String> etcdctlCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ServerBinaries.etcdctl().toString(),
                "--endpoints=https://127.0.0.1:" + clientPort, "--cacert=" + file("ca.pem"),
                "--cert=" + file("client.pem"), "--key=" + file("client-key.pem")));
        cmd.addAll(args);
        return cmd;
    }

    private static void makeCertificates(Path dir) throws Exception {
        Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=distlock-test-ca");
        for (String who : List.of("server", "client")) {
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", who + "-key.pem", "-out", who + ".csr", "-subj", "/CN=distlock-test-" + who);
            openssl(dir, "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                    "-CAcreateserial", "-out", who + ".pem", "-days", "2", "-extfile", who + ".ext");
        }
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed (install the Debian package"
                    + " openssl):\n" + out);
        }
    }

    @Override
    public void close() {
        process.kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Duration timeout() {
        return Duration.ofSeconds(3);
    }
}
