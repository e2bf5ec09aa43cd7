package io.github.distlock.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Mints owner tokens: 128 random bits from {@link SecureRandom}, hex encoded. A token never
 * repeats, so a stale release or renewal can never match a newer grant.
 *
 * <p>The JDK's default {@code NativePRNG} serialises every caller on one global lock; under many
 * threads that lock dominates the acquire path. Tokens therefore come from a few independent
 * DRBG generators, striped by thread. Each {@code SecureRandom.getInstance("DRBG")} seeds itself
 * from the system's entropy source ({@code securerandom.source}, {@code /dev/random} on Linux),
 * never from a caller-given seed. Each is seeded here, when the client opens: a DRBG seeds
 * itself on first use by reading entropy inside a monitor, which would otherwise happen on the
 * first acquires and block (and pin) the virtual threads that make them.
 */
final class OwnerTokens {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom[] stripes;

    OwnerTokens() {
        int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors() * 2) - 1) << 1;
        stripes = new SecureRandom[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = newGenerator();
            stripes[i].nextBytes(new byte[1]);
        }
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** @return the algorithm of the generators, for tests */
    String algorithm() {
        return stripes[0].getAlgorithm();
    }

    /** @return the number of independent generators, for tests */
    int generators() {
        return stripes.length;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
    String next() {
        byte[] bytes = new byte[16];
        stripes[(int) (Thread.currentThread().getId() & (stripes.length - 1))].nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
