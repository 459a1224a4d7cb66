package dev.sealpost.inbound;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Policy settings of the inbound (MX and submission) handler.
 *
 * @param senderMustMatch on submission, the MAIL FROM address must be the authenticated
 *                        account's own address or one of its aliases (config {@code smtp.sender_must_match})
 * @param maxReceivedHeaders more Received header fields than this means a mail loop (RFC 5321 §6.3)
 * @param postmaster       where {@code postmaster@} our host name or any local domain goes when
 *                         the directory has no entry for it (RFC 5321 §4.5.1), or null
 *                         (config {@code server.postmaster})
 * @param fileLocalAtAcceptance small messages to recipients that resolve only to local accounts are
 *                         filed into their mailboxes in the acceptance transaction
 *                         (docs/adr/0004-small-messages-in-the-database.md); off by default
 * @param reportMailboxes  addresses whose mail local delivery reads for DMARC and TLS-RPT reports
 *                         (config {@code auth.report_mailboxes}, lower case): never filed at acceptance,
 *                         so that the report intake still sees them
 */
public record InboundSettings(boolean senderMustMatch, int maxReceivedHeaders, String postmaster,
                              boolean fileLocalAtAcceptance, Set<String> reportMailboxes) {
    public InboundSettings {
        reportMailboxes = reportMailboxes.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Without filing at acceptance: every message goes through the spool and local delivery. */
    public InboundSettings(boolean senderMustMatch, int maxReceivedHeaders, String postmaster) {
        this(senderMustMatch, maxReceivedHeaders, postmaster, false, Set.of());
    }

    public static InboundSettings defaults() {
        return new InboundSettings(true, 50, null);
    }

    /** These settings with filing at acceptance on, except for mail to the report mailboxes. */
    public InboundSettings withLocalFiling(java.util.Collection<String> reportMailboxes) {
        return new InboundSettings(senderMustMatch, maxReceivedHeaders, postmaster, true, Set.copyOf(reportMailboxes));
    }
}
