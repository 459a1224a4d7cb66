package dev.sealpost.web.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * API bearer tokens: {@code spt_} followed by 256 random bits in base64url without padding
 * (43 characters), 47 characters in all. The prefix makes a leaked token easy to find by secret
 * scanners; the store keeps only the SHA-256 of the whole text ({@link #hash}), so a copy of the
 * database does not give working tokens. With 256 random bits a fast hash is enough: there is
 * nothing to guess and nothing to brute-force offline.
 */
public final class ApiToken {
    /** Every token starts with this. */
    public static final String PREFIX = "spt_";
    /** Random bytes in a token. */
    public static final int RANDOM_BYTES = 32;
    /** Length of the whole token text. */
    public static final int LENGTH = PREFIX.length() + 43;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiToken() {}

    /** A new random token (print it once; store only {@link #hash}). */
    public static String generate() {
        byte[] b = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 of a token's text, as stored. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hash to look up for a presented token, or empty when the text cannot be one of ours
     * (wrong prefix, length or alphabet): such a token is refused without a database read.
     */
    public static Optional<byte[]> parse(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith(PREFIX)) return Optional.empty();
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = presented.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return Optional.empty();
        }
        // the last character carries 2 spare bits that must be zero (RFC 4648 §3.5): one text per value
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(presented.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (decoded.length != RANDOM_BYTES) return Optional.empty();
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(presented.substring(PREFIX.length()))) return Optional.empty();
        return Optional.of(hash(presented));
    }
}
