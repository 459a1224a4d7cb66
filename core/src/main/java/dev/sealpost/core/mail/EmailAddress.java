package dev.sealpost.core.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address {@code local-part@domain} as used in SMTP paths (RFC 5321 §4.1.2) with
 * internationalised local parts (RFC 6531 §3.3). The domain is kept in its ASCII (A-label)
 * form, lower-cased; the local part is kept as sent (case-preserving, RFC 5321 §2.4) but
 * without the surrounding quotes of a quoted string.
 *
 * @param localPart the local part, unquoted form
 * @param domain    the domain in A-label form, lower case
 */
public record EmailAddress(String localPart, String domain) {

    /** RFC 5321 §4.5.3.1.1: local part at most 64 octets. */
    public static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 §4.5.3.1.2: domain at most 255 octets. */
    public static final int MAX_DOMAIN = 255;

    public EmailAddress {
        if (localPart == null || localPart.isEmpty()) throw new IllegalArgumentException("empty local part");
        if (domain == null || domain.isEmpty()) throw new IllegalArgumentException("empty domain");
    }

    /**
     * Parses {@code local@domain} (no angle brackets). Returns empty when the text is not a
     * valid address; quoted local parts are accepted and unquoted.
     */
    public static Optional<EmailAddress> parse(String text) {
        if (text == null) return Optional.empty();
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) return Optional.empty();
        String local = text.substring(0, at);
        String dom = text.substring(at + 1);
        Optional<String> unquoted = LocalPart.parse(local);
        Optional<String> d = Domain.toAscii(dom);
        if (unquoted.isEmpty() || d.isEmpty()) return Optional.empty();
        if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LOCAL_PART) return Optional.empty();
        return Optional.of(new EmailAddress(unquoted.get(), d.get()));
    }

    /** The address with the local part lower-cased, for directory look-ups (we treat local parts case-insensitively). */
    public String canonical() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** Text form, quoting the local part when it is not a dot-atom. */
    @Override
    public String toString() {
        return LocalPart.format(localPart) + "@" + domain;
    }
}
