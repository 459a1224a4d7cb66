package dev.sealpost.auth.arc;

import java.util.Locale;
import java.util.Optional;

/**
 * An ARC Chain Validation Status (RFC 8617 §4.4): the {@code cv=} value of an ARC-Seal and the
 * {@code arc=} result word of Authentication-Results (RFC 8617 §10.1).
 */
public enum ArcResult {
    /** No ARC Sets on the message. */
    NONE,
    /** The chain validated. */
    PASS,
    /** The chain is broken, malformed or was already marked failed. */
    FAIL;

    /** The {@code cv=} / {@code arc=} word. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a {@code cv=} word; ABNF literals are case-insensitive (RFC 5234 §2.3). */
    public static Optional<ArcResult> fromTag(String word) {
        if (word == null) return Optional.empty();
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "pass" -> Optional.of(PASS);
            case "fail" -> Optional.of(FAIL);
            default -> Optional.empty();
        };
    }
}
