package dev.sealpost.web.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords, RFC 6238 over HOTP (RFC 4226): HMAC-SHA-1, 6 digits, 30-second
 * steps from the Unix epoch, a code accepted for the current step and one step either side
 * (RFC 6238 §5.2, clock drift). Which step was accepted is returned so the caller can refuse the
 * same step again (replay).
 */
public final class Totp {
    /** RFC 6238 §4.1: X, the time step in seconds. */
    public static final long STEP_SECONDS = 30;
    /** Digits of a code. */
    public static final int DIGITS = 6;
    /** Steps accepted either side of now. */
    public static final int WINDOW = 1;
    /** Octets of a new secret (RFC 4226 §4 R6 asks for at least 128 bits; 160 matches SHA-1). */
    public static final int SECRET_OCTETS = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {}

    /** A new random secret. */
    public static byte[] newSecret() {
        byte[] k = new byte[SECRET_OCTETS];
        RANDOM.nextBytes(k);
        return k;
    }

    /** RFC 6238 §4.2: T = floor((Unix time - T0) / X), T0 = 0. */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
    }

    /** RFC 4226 §5.3: HOTP(K, C) with dynamic truncation, {@code digits} decimal digits, zero-padded. */
    public static String code(byte[] key, long counter, int digits) {
        if (digits < 6 || digits > 8) throw new IllegalArgumentException("digits must be 6 to 8");
        byte[] h;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] c = new byte[8];
            for (int i = 7; i >= 0; i--) {
                c[i] = (byte) counter;
                counter >>>= 8;
            }
            h = mac.doFinal(c);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
        int offset = h[h.length - 1] & 0x0f; // RFC 4226 §5.4
        int bin = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
        String s = Integer.toString(bin % POW10[digits]);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * The time step whose code {@code given} is, within {@link #WINDOW} steps of {@code now}, or
     * empty. Compares every candidate in constant time and does not stop at the first match.
     */
    public static OptionalLong verify(byte[] key, String given, Instant now) {
        if (given == null) return OptionalLong.empty();
        String g = given.strip().replace(" ", "");
        if (g.length() != DIGITS || !g.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return OptionalLong.empty();
        long t = step(now);
        long found = -1;
        for (long s = t - WINDOW; s <= t + WINDOW; s++) {
            if (MessageDigest.isEqual(code(key, s, DIGITS).getBytes(StandardCharsets.US_ASCII), g.getBytes(StandardCharsets.US_ASCII)) && found < 0) {
                found = s;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }

    /** RFC 4648 §6 base32 without padding (what authenticator apps take). */
    public static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder();
        int buffer = 0, bits = 0;
        for (byte x : data) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) b.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        return b.toString();
    }

    /** The {@code otpauth://totp/} URI authenticator apps read (Google Authenticator's key URI format). */
    public static String uri(String issuer, String account, byte[] key) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32(key) + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
