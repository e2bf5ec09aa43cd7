package io.github.distlock.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Mints owner tokens: 128 random bits from {@link SecureRandom}, hex encoded. A token never
 * repeats, so a stale release or renewal can never match a newer grant.
 */
final class OwnerTokens {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
