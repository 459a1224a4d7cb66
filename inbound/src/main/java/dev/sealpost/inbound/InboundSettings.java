package dev.sealpost.inbound;

/**
 * Policy settings of the inbound (MX and submission) handler.
 *
 * @param senderMustMatch on submission, the MAIL FROM address must be the authenticated
 *                        account's own address or one of its aliases (config {@code smtp.sender_must_match})
 * @param maxReceivedHeaders more Received header fields than this means a mail loop (RFC 5321 §6.3)
 * @param postmaster       where {@code postmaster@} our host name or any local domain goes when
 *                         the directory has no entry for it (RFC 5321 §4.5.1), or null
 *                         (config {@code server.postmaster})
 */
public record InboundSettings(boolean senderMustMatch, int maxReceivedHeaders, String postmaster) {
    public static InboundSettings defaults() {
        return new InboundSettings(true, 50, null);
    }
}
