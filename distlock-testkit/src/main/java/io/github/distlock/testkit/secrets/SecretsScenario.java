package io.github.distlock.testkit.secrets;

import io.github.distlock.DistributedLock;
import io.github.distlock.DistributedLocks;
import io.github.distlock.LockClientOptions;
import io.github.distlock.LockLease;
import io.github.distlock.LockLoss;
import io.github.distlock.LockOptions;
import io.github.distlock.internal.Uris;
import io.github.distlock.spi.LockBackendProvider;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one backend through every path that could show a secret, printing everything a user
 * could see: {@code toString()} of clients, options, leases, lock infos and losses, and the
 * message, {@code toString()} and stack trace of every exception. Paths: acquire, wait and
 * hand-off, renew, release and double release, shared locks, key-based locks and an unlock from
 * another thread, a lease lost to its TTL, wrong credentials, use after close.
 *
 * <p>Run by {@link SecretLeakCheck} in a JVM of its own with DEBUG logging, so that the whole
 * output can be scanned. Arguments: the backend URI, a URI with wrong credentials (or {@code -}),
 * the file to write the owner tokens it used to (one per line), and the TTL of the lease it lets
 * expire (ISO-8601).
 */
public final class SecretsScenario {

    /** Printed last, when every step ran. */
    public static final String COMPLETE = "SECRETS SCENARIO COMPLETE";

    private static final PrintStream OUT = System.out;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private SecretsScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param args URI, wrong-credentials URI or {@code -}, tokens file, TTL of the lease let expire
     * @throws Exception if a step fails unexpectedly (exit status 1)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: SecretsScenario URI WRONG_URI|- TOKENS_FILE LOSS_TTL");
        }
        String uri = args[0];
        String wrongUri = args[1];
        Path tokensFile = Path.of(args[2]);
        Duration lossTtl = Duration.parse(args[3]);
        debugLoggingEverywhere();
        OUT.println("debug logging: slf4j " + LoggerFactory.getLogger("io.github.distlock").isDebugEnabled()
                + ", java.util.logging " + Logger.getLogger("").getLevel());

        LockClientOptions options = LockClientOptions.builder().operationTimeout(Duration.ofSeconds(5)).build();
        TokenRecordingBackend backend = new TokenRecordingBackend(provider(uri).open(uri, options));
        try {
            show("uri", Uris.redact(uri));
            show("client options", options);
            show("backend", backend);
            try (DistributedLock a = DistributedLocks.create(backend, options);
                    DistributedLock b = DistributedLocks.open(uri, options)) {
                show("client", a);
                show("client opened by uri", b);
                exclusive(a, b);
                shared(a, b);
                keyBased(a);
                lost(a, lossTtl);
                afterClose(uri, options);
            }
            wrongCredentials(wrongUri, options);
        } finally {
            Files.write(tokensFile, backend.tokens(), StandardCharsets.UTF_8);
        }
        OUT.println("owner tokens used: " + backend.tokens().size());
        OUT.println(COMPLETE);
        OUT.flush();
        System.exit(0);
    }

    private static void exclusive(DistributedLock a, DistributedLock b) throws Exception {
        LockOptions options = LockOptions.builder().ttl(Duration.ofSeconds(10)).build();
        show("lock options", options);
        LockLease lease = a.acquire("secrets/exclusive", options);
        show("lease", lease);
        show("lock info", a.getLockInfo("secrets/exclusive"));
        attempt("list", () -> a.listLocks("secrets/", 10));
        show("busy try", b.tryAcquire("secrets/exclusive"));
        CompletableFuture<LockLease> waiter = b.acquireAsync("secrets/exclusive", options);
        lease.renew();
        lease.renew(Duration.ofSeconds(12));
        show("renewed lease", lease);
        show("released", lease.release());
        show("released again", lease.release());
        attemptVoid("renew after release", lease::renew);
        LockLease next = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        show("waiter's lease", next);
        next.close();
    }

    private static void shared(DistributedLock a, DistributedLock b) throws Exception {
        LockOptions shared = LockOptions.builder().shared().build();
        LockLease first = a.acquire("secrets/shared", shared);
        LockLease second = b.acquire("secrets/shared", shared);
        show("shared leases", first + " " + second);
        show("shared info", b.getLockInfo("secrets/shared"));
        attempt("exclusive try while shared", () -> a.tryAcquire("secrets/shared"));
        first.release();
        second.release();
    }

    private static void keyBased(DistributedLock a) throws Exception {
        a.lock("secrets/key-based");
        show("current lease", a.currentLease("secrets/key-based"));
        Thread other = new Thread(() -> attemptVoid("unlock from another thread", () -> a.unlock("secrets/key-based")));
        other.start();
        other.join(DEADLINE.toMillis());
        a.renew("secrets/key-based", Duration.ofSeconds(20));
        a.unlock("secrets/key-based");
        attemptVoid("unlock twice", () -> a.unlock("secrets/key-based"));
    }

    private static void lost(DistributedLock a, Duration ttl) throws Exception {
        LockLease lease = a.acquire("secrets/lost", LockOptions.builder().ttl(ttl).autoRenew(false).build());
        LockLoss loss = lease.lost().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        show("loss", loss);
        show("lost lease", lease);
        attemptVoid("renew after loss", lease::renew);
        show("release after loss", lease.release());
    }

    private static void afterClose(String uri, LockClientOptions options) {
        DistributedLock closed = DistributedLocks.open(uri, options);
        closed.close();
        attempt("acquire after close", () -> closed.tryAcquire("secrets/closed"));
    }

    private static void wrongCredentials(String wrongUri, LockClientOptions options) {
        if (wrongUri.equals("-")) {
            return;
        }
        attempt("wrong credentials", () -> {
            try (DistributedLock c = DistributedLocks.open(wrongUri, options)) {
                return c.getLockInfo("secrets/wrong-credentials");
            }
        });
    }

    private static LockBackendProvider provider(String uri) {
        String scheme = Uris.scheme(uri);
        for (LockBackendProvider p : ServiceLoader.load(LockBackendProvider.class)) {
            if (p.schemes().contains(scheme)) {
                return p;
            }
        }
        throw new IllegalStateException("no backend for scheme " + scheme);
    }

    private static void show(String what, Object value) {
        OUT.println(what + ": " + value);
    }

    /** A call whose failure is expected or tolerated: prints the outcome, never throws. */
    private static void attempt(String what, ThrowingCall call) {
        try {
            show(what, call.call());
        } catch (Throwable e) {
            OUT.println(what + " failed: " + e.getMessage());
            OUT.println(what + " as string: " + e);
            e.printStackTrace(OUT);
        }
    }

    private static void attemptVoid(String what, ThrowingRunnable call) {
        attempt(what, () -> {
            call.run();
            return "done";
        });
    }

    /** Sends everything {@code java.util.logging} gets (gRPC, Vert.x) to stderr, from FINE up. */
    private static void debugLoggingEverywhere() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.FINE);
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.FINE);
        root.addHandler(console);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
