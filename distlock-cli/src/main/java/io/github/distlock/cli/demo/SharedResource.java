package io.github.distlock.cli.demo;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the demo's workers protect with the lock, per key: a counter they increment with a
 * plain, non-atomic read-modify-write, a fenced register that remembers the largest fencing
 * token written, and the time the last holder began its release (for hand-off latency).
 *
 * <p>It lives in shared memory: a direct buffer for worker threads, a memory-mapped file for
 * worker processes, so that processes really share it. Reads and writes are single 8-byte
 * accesses with no atomicity across them: only the lock stops two workers from interleaving,
 * and if it fails to, increments are lost and older tokens arrive after newer ones.
 */
public final class SharedResource {

    private static final int SLOT_LONGS = 4;
    private static final int COUNTER = 0;
    private static final int FENCE = 1;
    private static final int LAST_RELEASE = 2;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final int keys;

    private SharedResource(ByteBuffer buffer, int keys) {
        this.buffer = buffer;
        this.keys = keys;
    }

    /**
     * Creates one in this process's memory, for worker threads.
     *
     * @param keys the number of keys
     * @return the resource, all zero
     */
    public static SharedResource inMemory(int keys) {
        return new SharedResource(ByteBuffer.allocateDirect(bytes(keys)), keys);
    }

    /**
     * Maps a file shared by worker processes, creating it (all zero) if needed.
     *
     * @param file the file
     * @param keys the number of keys
     * @return the resource
     * @throws IOException if the file cannot be mapped
     */
    public static SharedResource mapped(Path file, int keys) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The mapping stays valid after the channel is closed.
            return new SharedResource(ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes(keys)), keys);
        }
    }

    private static int bytes(int keys) {
        return keys * SLOT_LONGS * Long.BYTES;
    }

    /** @return the number of keys */
    public int keys() {
        return keys;
    }

    private long get(int key, int field) {
        return (long) LONGS.getOpaque(buffer, (key * SLOT_LONGS + field) * Long.BYTES);
    }

    private void set(int key, int field, long value) {
        LONGS.setOpaque(buffer, (key * SLOT_LONGS + field) * Long.BYTES, value);
    }

    /**
     * Reads a key's counter.
     *
     * @param key the key index
     * @return the counter
     */
    public long counter(int key) {
        return get(key, COUNTER);
    }

    /**
     * Writes a key's counter.
     *
     * @param key the key index
     * @param value the new value
     */
    public void counter(int key, long value) {
        set(key, COUNTER, value);
    }

    /**
     * Reads the largest fencing token written for a key.
     *
     * @param key the key index
     * @return the token, 0 at first
     */
    public long fence(int key) {
        return get(key, FENCE);
    }

    /**
     * Writes a key's fenced register.
     *
     * @param key the key index
     * @param token the fencing token
     */
    public void fence(int key, long token) {
        set(key, FENCE, token);
    }

    /**
     * Reads when the last holder of a key began releasing it.
     *
     * @param key the key index
     * @return a {@link System#nanoTime()} value (one clock for all processes on Linux), 0 at first
     */
    public long lastRelease(int key) {
        return get(key, LAST_RELEASE);
    }

    /**
     * Records when the holder of a key begins releasing it.
     *
     * @param key the key index
     * @param nanoTime {@link System#nanoTime()}
     */
    public void lastRelease(int key, long nanoTime) {
        set(key, LAST_RELEASE, nanoTime);
    }

    /** @return the sum of all counters: the increments that were not lost */
    public long total() {
        long sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += counter(k);
        }
        return sum;
    }
}
