package dev.sealpost.filter.quarantine;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed, expiring tokens for the digest's links: {@code base64url(payload || HMAC-SHA-256(key, payload))},
 * where the payload names the entry (id, queue message, account), the action and the expiry.
 */
public final class QuarantineTokens {
    /** What a link does. */
    public enum Action {
        RELEASE, DELETE;

        String word() {
            return this == RELEASE ? "release" : "delete";
        }
    }

    /** A token's check: valid (naming what to do) or why not. */
    public sealed interface Check {
        record Valid(long entryId, long queueMessageId, long accountId, Action action, Instant expires) implements Check {}

        /** Not a token of ours: bad encoding, bad length or a signature that does not match. */
        record Forged() implements Check {}

        record Expired(Instant at) implements Check {}
    }

    private static final byte VERSION = 1;
    private static final int PAYLOAD = 1 + 8 + 8 + 8 + 1 + 8;
    private static final int MAC = 32;

    private final byte[] key;

    public QuarantineTokens(byte[] key) {
        if (key.length < 32) throw new IllegalArgumentException("a key of at least 32 octets");
        this.key = key.clone();
    }

    /** Reads {@code <dir>/digest.key}, making it (32 random octets, mode 0600) when it does not exist. */
    public static byte[] key(Path dir) throws IOException {
        Path f = dir.resolve("digest.key");
        if (Files.exists(f)) return Files.readAllBytes(f);
        Files.createDirectories(dir);
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        dev.sealpost.core.io.Fsync.writeDurably(f, s); // owner-only temporary file, fsync, atomic rename
        return s;
    }

    /** A token for {@code action} on entry {@code entryId}, valid until {@code expires}. */
    public String issue(long entryId, long queueMessageId, long accountId, Action action, Instant expires) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD + MAC);
        b.put(VERSION).putLong(entryId).putLong(queueMessageId).putLong(accountId).put((byte) action.ordinal())
                .putLong(expires.getEpochSecond());
        b.put(mac(b.array(), PAYLOAD));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** Checks a token at {@code now}: the signature first (constant time), then the expiry. */
    public Check check(String token, Instant now) {
        if (token == null || token.length() > 200 || !token.matches("[A-Za-z0-9_-]+")) return new Check.Forged();
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return new Check.Forged();
        }
        if (raw.length != PAYLOAD + MAC || raw[0] != VERSION) return new Check.Forged();
        byte[] given = java.util.Arrays.copyOfRange(raw, PAYLOAD, raw.length);
        if (!MessageDigest.isEqual(mac(raw, PAYLOAD), given)) return new Check.Forged();
        ByteBuffer b = ByteBuffer.wrap(raw, 1, PAYLOAD - 1);
        long id = b.getLong(), queueId = b.getLong(), account = b.getLong();
        int a = b.get();
        Instant expires = Instant.ofEpochSecond(b.getLong());
        if (a < 0 || a >= Action.values().length) return new Check.Forged();
        if (!now.isBefore(expires)) return new Check.Expired(expires);
        return new Check.Valid(id, queueId, account, Action.values()[a], expires);
    }

    private byte[] mac(byte[] data, int len) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(data, 0, len);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
