package io.github.distlock.bench.servers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the commands clients send to a Redis server, with {@code MONITOR}: one line per
 * command a client sent, and lines tagged {@code lua} for the commands scripts ran, which are
 * not round trips and are skipped. ({@code INFO commandstats} and
 * {@code total_commands_processed} count the commands scripts run too, so they cannot count
 * round trips.) {@code MONITOR} slows Redis down, so use it only while little runs, e.g. while
 * locks are merely held and renewed.
 */
public final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final Thread reader;
    private final AtomicLong commands = new AtomicLong();
    private final Map<String, AtomicLong> byName = new ConcurrentHashMap<>();

    private RedisMonitor(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        socket.setSoTimeout((int) timeout.toMillis());
        String ok = readLine(in);
        if (!"+OK".equals(ok)) {
            socket.close();
            throw new IOException("MONITOR answered " + ok);
        }
        socket.setSoTimeout(0);
        reader = new Thread(() -> read(in), "bench-redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts counting.
     *
     * @param host the server host
     * @param port the server port
     * @return the running monitor; {@link #close()} it
     */
    public static RedisMonitor start(String host, int port) {
        try {
            return new RedisMonitor(host, port, Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException("could not MONITOR " + host + ":" + port, e);
        }
    }

    private void read(InputStream in) {
        try {
            String line;
            while ((line = readLine(in)) != null) {
                // +1700000000.123456 [0 127.0.0.1:50000] "evalsha" "..." ...   or   [0 lua] for script calls
                int open = line.indexOf('[');
                int close = line.indexOf(']', open + 1);
                if (open < 0 || close < 0 || line.substring(open, close).endsWith(" lua")) {
                    continue;
                }
                commands.incrementAndGet();
                int q1 = line.indexOf('"', close);
                int q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
                String name = q2 < 0 ? "?" : line.substring(q1 + 1, q2).toLowerCase(java.util.Locale.ROOT);
                byName.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
            }
        } catch (SocketException closed) {
            // close() ends the stream
        } catch (IOException e) {
            // the count stops; the caller sees it in the numbers
        }
    }

    /** Reads one CRLF-terminated line of any length (a batched renewal can be megabytes long). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, Math.min(n, 4096), StandardCharsets.UTF_8);
            }
            if (line.size() < 4096 + 1) {
                line.write(c);
            } else if (c == '\r') {
                line.write(c);
            }
        }
        return null;
    }

    /** @return the client commands counted so far */
    public long commands() {
        return commands.get();
    }

    /** @return the counted client commands by name, e.g. {@code evalsha -> 30} */
    public Map<String, Long> byName() {
        Map<String, Long> m = new TreeMap<>();
        byName.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Stops counting and closes the connection. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
