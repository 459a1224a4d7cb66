package dev.sealpost.filter;

import dev.sealpost.message.MessageStructure;

import java.util.List;
import java.util.Objects;

/**
 * What the checks see: the exact message bytes and their parsed structure (parsed once by the
 * caller), the SMTP envelope and the connection facts. Authentication results are passed as the
 * DMARC verdict for the From domain ({@code dmarcPass}) and the aligned domain, when known.
 *
 * @param message      the message bytes as received (header and body, CRLF)
 * @param structure    the parsed MIME structure of {@code message}
 * @param clientIp     the connecting client's IP as text (null when not known, for example offline)
 * @param helo         the HELO/EHLO name (null when not known)
 * @param mailFrom     the envelope sender (empty string for the null reverse-path)
 * @param recipients   the envelope recipients
 * @param authenticated true when the client authenticated (submission)
 * @param dmarcPass    true when DMARC passed for the From domain
 */
public record FilterInput(byte[] message, MessageStructure structure, String clientIp, String helo,
                          String mailFrom, List<String> recipients, boolean authenticated, boolean dmarcPass) {
    public FilterInput {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(structure, "structure");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
    }

    /** Parses {@code message} once and builds an input with no connection facts (offline use). */
    public static FilterInput offline(byte[] message) {
        return new FilterInput(message, MessageStructure.parse(message), null, null, "", List.of(), false, false);
    }
}
