package dev.sealpost.lists.post;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Per-member one-click unsubscribe tokens (RFC 8058): an HMAC-SHA-256 (RFC 2104) over the list id,
 * the member's address and an expiry time, so the web endpoint can act on a POST with no login and
 * no database look-up of the token, and nobody can forge one for another member.
 *
 * <p>Form: {@code v1.<key id>.<payload>.<mac>}, each part base64url without padding (URL-safe, so
 * the token fits in the path of the List-Unsubscribe URI). The payload is
 * {@code list-id NUL member NUL expiry-epoch-seconds}; the key id is the first 6 octets of
 * SHA-256 of the secret, so verification picks the right secret directly.
 *
 * <p>Rotation: tokens are made with the first secret; every secret in the list verifies. Adding a
 * new secret at the front and keeping the old one until the longest validity has passed rotates
 * without breaking a link already in someone's mailbox.
 *
 * <p>Thread-safe (a {@link Mac} per call).
 */
public final class UnsubscribeToken {
    /** Tokens longer than this are refused before any work. */
    public static final int MAX_TOKEN_LENGTH = 1024;
    private static final String VERSION = "v1";
    private static final byte[] CONTEXT = "sealpost list-unsubscribe v1\0".getBytes(StandardCharsets.US_ASCII);

    private record Key(String id, byte[] secret) {}

    private final List<Key> keys;
    private final Clock clock;
    private final Duration validity;

    /**
     * @param secrets  the current secret first, then older ones still accepted; each at least 32 octets
     * @param clock    for the expiry
     * @param validity how long a token works (receivers act on RFC 8058 URIs long after
     *                 delivery: months, not days)
     */
    public UnsubscribeToken(List<byte[]> secrets, Clock clock, Duration validity) {
        if (secrets.isEmpty()) throw new IllegalArgumentException("no unsubscribe secret");
        List<Key> k = new ArrayList<>();
        for (byte[] s : secrets) {
            if (s.length < 32) throw new IllegalArgumentException("an unsubscribe secret must have at least 32 octets");
            k.add(new Key(b64(sha256(s), 6), s.clone()));
        }
        this.keys = List.copyOf(k);
        this.clock = clock;
        if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive");
        this.validity = validity;
    }

    /** The result of checking a token. */
    public sealed interface Check {
        /** Good: unsubscribe {@code member} from {@code listId}. */
        record Valid(String listId, String member, Instant expires) implements Check {}
        /** Genuine but past its expiry. */
        record Expired(String listId, String member, Instant expired) implements Check {}
        /** Genuine, for another list. */
        record WrongList(String listId) implements Check {}
        /** Not ours: malformed, unknown key, or a MAC that does not match. */
        record Invalid(String reason) implements Check {}
    }

    /** A token for {@code member} (any case; compared in lower case) of the list {@code listId}. */
    public String issue(String listId, String member) {
        Key key = keys.getFirst();
        long expiry = clock.instant().plus(validity).getEpochSecond();
        byte[] payload = payload(listId, member.toLowerCase(Locale.ROOT), expiry);
        return VERSION + "." + key.id() + "." + b64(payload, payload.length) + "." + b64(mac(key.secret(), payload), 32);
    }

    /** Checks a token presented for {@code listId}. */
    public Check verify(String listId, String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) return new Check.Invalid("missing or too long");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) return new Check.Invalid("not a v1 token");
        Key key = keys.stream().filter(k -> k.id().equals(parts[1])).findFirst().orElse(null);
        if (key == null) return new Check.Invalid("unknown key (a retired secret?)");
        byte[] payload, tag;
        try {
            payload = Base64.getUrlDecoder().decode(parts[2]);
            tag = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return new Check.Invalid("bad base64url");
        }
        // constant-time comparison: the MAC check must not leak how much of a guess was right
        if (!MessageDigest.isEqual(mac(key.secret(), payload), tag)) return new Check.Invalid("bad MAC");
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\0", -1);
        if (fields.length != 3) return new Check.Invalid("bad payload");
        long expiry;
        try {
            expiry = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return new Check.Invalid("bad expiry");
        }
        if (!fields[0].equals(listId)) return new Check.WrongList(fields[0]);
        Instant at = Instant.ofEpochSecond(expiry);
        if (!clock.instant().isBefore(at)) return new Check.Expired(fields[0], fields[1], at);
        return new Check.Valid(fields[0], fields[1], at);
    }

    private static byte[] payload(String listId, String member, long expiry) {
        if (listId.indexOf('\0') >= 0 || member.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL in list id or member");
        return (listId + "\0" + member + "\0" + expiry).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(byte[] secret, byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            m.update(CONTEXT);
            return m.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b, int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n == b.length ? b : java.util.Arrays.copyOf(b, n));
    }
}
