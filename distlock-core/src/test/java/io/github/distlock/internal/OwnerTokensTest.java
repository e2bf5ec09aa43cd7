package io.github.distlock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Owner tokens: 128 bits from self-seeded SecureRandom generators, never repeated. */
class OwnerTokensTest {

    @Test
    void aTokenIs128BitsHexEncoded() {
        String token = new OwnerTokens().next();
        assertThat(token).hasSize(32).matches("[0-9a-f]{32}");
        assertThat(HexFormat.of().parseHex(token)).hasSize(16);
    }

    @Test
    void tokensComeFromTheJdksDrbgSeededByTheSystem() {
        OwnerTokens tokens = new OwnerTokens();
        // SecureRandom.getInstance("DRBG") seeds itself from the system entropy source.
        assertThat(tokens.algorithm()).isEqualTo("DRBG");
        assertThat(tokens.generators()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void tokensDoNotRepeatAcrossThreadsAndInstances() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        OwnerTokens shared = new OwnerTokens();
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                OwnerTokens own = t % 2 == 0 ? shared : new OwnerTokens();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        seen.add(own.next());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void everyBitVaries() {
        // A stuck bit (a truncated or badly encoded token) would show as a constant position.
        OwnerTokens tokens = new OwnerTokens();
        byte[] or = new byte[16];
        byte[] and = new byte[16];
        Arrays.fill(and, (byte) 0xff);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = HexFormat.of().parseHex(tokens.next());
            for (int j = 0; j < 16; j++) {
                or[j] |= b[j];
                and[j] &= b[j];
            }
        }
        for (int j = 0; j < 16; j++) {
            assertThat(or[j]).as("byte %d: some token has each bit set", j).isEqualTo((byte) 0xff);
            assertThat(and[j]).as("byte %d: some token has each bit clear", j).isEqualTo((byte) 0);
        }
    }
}
