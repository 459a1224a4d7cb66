package dev.sealpost.lists.bounce;

import java.util.List;

/**
 * What a bounce says: which recipients failed, permanently or for now, and how we knew.
 *
 * @param format     where the answer came from: an RFC 3464 report, one vendor's text format, or
 *                   {@link Format#NONE} when the message is not a bounce we understand
 * @param recipients failed recipients in the order found, without duplicates (an address found
 *                   both as permanent and temporary counts as permanent)
 */
public record Bounce(Format format, List<FailedRecipient> recipients) {

    public static final Bounce NONE = new Bounce(Format.NONE, List.of());

    public Bounce {
        recipients = List.copyOf(recipients);
    }

    /** How the failed recipients were found. */
    public enum Format {
        /** No failure found. */
        NONE,
        /** RFC 3464 {@code message/delivery-status} (or RFC 6533 {@code message/global-delivery-status}). */
        DSN,
        POSTFIX, QMAIL, EXIM, SENDMAIL, MICROSOFT, YAHOO, SMTP32,
        /** One of the plain-text patterns of smaller or older MTAs ("simple" bounces). */
        SIMPLE
    }

    /** RFC 3464 §2.3.3 Action: "failed" is permanent, "delayed" temporary. */
    public enum Kind { PERMANENT, TEMPORARY }

    /**
     * One failed recipient.
     *
     * @param address    the address as the bounce gives it (for a DSN: Original-Recipient when it is an
     *                   rfc822 address, else Final-Recipient), case kept
     * @param kind       permanent or temporary
     * @param status     RFC 3463 status code ({@code 5.1.1}) when known, else null
     * @param diagnostic the diagnostic text (DSN Diagnostic-Code) when known, else null; untrusted
     */
    public record FailedRecipient(String address, Kind kind, String status, String diagnostic) {}

    public boolean isBounce() {
        return !recipients.isEmpty();
    }

    /** The addresses that failed permanently, in order. */
    public List<String> permanent() {
        return recipients.stream().filter(r -> r.kind() == Kind.PERMANENT).map(FailedRecipient::address).toList();
    }

    /** The addresses that failed for now (delayed), in order. */
    public List<String> temporary() {
        return recipients.stream().filter(r -> r.kind() == Kind.TEMPORARY).map(FailedRecipient::address).toList();
    }
}
