package dev.sealpost.core.auth;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A short-lived memory of passwords that were just verified against their slow hash, so that a
 * mail client reconnecting every few minutes (IMAP, POP3, submission) does not cost a full
 * PBKDF2 each time (the role of Dovecot's auth cache).
 *
 * <p>Security: only an HMAC-SHA-256 of the password under a random per-process key is kept, never
 * the password; an entry is valid only for the exact stored hash it was verified against (a
 * password change, here or on another node, invalidates it) and for {@link #TTL_NANOS}. A cache
 * hit needs the right password, so it gives an attacker no timing signal: a wrong password still
 * costs the full slow verification. Bounded to {@link #MAX_ENTRIES} accounts (least recently used
 * dropped).
 */
public final class VerifiedPasswords {
    /** One hour, as Dovecot's default auth_cache_ttl. */
    static final long TTL_NANOS = 3_600_000_000_000L;
    static final int MAX_ENTRIES = 10_000;

    private record Verified(String storedHash, byte[] tag, long expiresAt) {}

    private final byte[] key = new byte[32];
    private final LongSupplier nanoTime;
    private final Map<String, Verified> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public VerifiedPasswords() {
        this(System::nanoTime);
    }

    VerifiedPasswords(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        new SecureRandom().nextBytes(key);
    }

    /** True when {@code password} was verified for {@code user} against this very {@code storedHash} within the TTL. */
    public boolean matches(String user, String storedHash, char[] password) {
        Verified e;
        synchronized (entries) {
            e = entries.get(user);
        }
        if (e == null || !e.storedHash().equals(storedHash) || nanoTime.getAsLong() - e.expiresAt() > 0) return false;
        return MessageDigest.isEqual(e.tag(), tag(user, password));
    }

    /** Records a successful slow verification. */
    public void remember(String user, String storedHash, char[] password) {
        Verified e = new Verified(storedHash, tag(user, password), nanoTime.getAsLong() + TTL_NANOS);
        synchronized (entries) {
            entries.put(user, e);
        }
    }

    /** Forgets an account (password changed or account removed). */
    public void forget(String user) {
        synchronized (entries) {
            entries.remove(user);
        }
    }

    private byte[] tag(String user, char[] password) {
        var bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        try {
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            byte[] data = new byte[u.length + 1 + pw.length];
            System.arraycopy(u, 0, data, 0, u.length);
            System.arraycopy(pw, 0, data, u.length + 1, pw.length);
            byte[] t = PasswordHasher.hmac(key, data);
            Arrays.fill(data, (byte) 0);
            return t;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
