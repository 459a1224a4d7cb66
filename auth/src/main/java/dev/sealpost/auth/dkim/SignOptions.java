package dev.sealpost.auth.dkim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to sign.
 *
 * @param headerCanon header canonicalisation (default relaxed)
 * @param bodyCanon   body canonicalisation (default relaxed)
 * @param headers     fields to sign when present (RFC 6376 §5.4.1 recommendations)
 * @param oversign    fields listed once more than present, so that none can be added (RFC 6376 §8.15)
 * @param expiration  {@code x=} this long after {@code t=}, or null for none
 * @param bodyLength  add {@code l=} (not recommended: RFC 6376 §8.2)
 * @param identity    {@code i=}, or null for none (the default {@code @d})
 */
public record SignOptions(Canonicalization headerCanon, Canonicalization bodyCanon, List<String> headers,
                          List<String> oversign, Duration expiration, boolean bodyLength, String identity) {
    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Reply-To");
    public static final List<String> DEFAULT_OVERSIGN = List.of("From", "Subject", "To", "Date");
    /** relaxed/relaxed, the default headers, From/Subject/To/Date oversigned, no x=, no l=. */
    public static final SignOptions DEFAULT = new SignOptions(Canonicalization.RELAXED, Canonicalization.RELAXED,
            DEFAULT_HEADERS, DEFAULT_OVERSIGN, null, false, null);

    public SignOptions {
        Objects.requireNonNull(headerCanon);
        Objects.requireNonNull(bodyCanon);
        headers = List.copyOf(headers);
        oversign = List.copyOf(oversign);
        if (headers.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
            throw new IllegalArgumentException("From must be signed (RFC 6376 §5.4)");
        }
        if (expiration != null && (expiration.isNegative() || expiration.isZero())) throw new IllegalArgumentException("expiration must be positive");
    }

    public SignOptions withCanonicalization(Canonicalization header, Canonicalization body) {
        return new SignOptions(header, body, headers, oversign, expiration, bodyLength, identity);
    }

    public SignOptions withHeaders(List<String> h, List<String> over) {
        return new SignOptions(headerCanon, bodyCanon, h, over, expiration, bodyLength, identity);
    }

    public SignOptions withExpiration(Duration x) {
        return new SignOptions(headerCanon, bodyCanon, headers, oversign, x, bodyLength, identity);
    }

    public SignOptions withBodyLength(boolean l) {
        return new SignOptions(headerCanon, bodyCanon, headers, oversign, expiration, l, identity);
    }

    public SignOptions withIdentity(String i) {
        return new SignOptions(headerCanon, bodyCanon, headers, oversign, expiration, bodyLength, i);
    }
}
