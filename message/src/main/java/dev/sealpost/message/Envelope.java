package dev.sealpost.message;

import java.util.List;

/**
 * The fields of IMAP's ENVELOPE (RFC 9051 §7.5.2), taken from the first occurrence of each header
 * field, unfolded (RFC 5322 §2.2.3) and trimmed. Strings are raw: RFC 2047 encoded words are left
 * as they are, because IMAP sends them that way. Absent fields are null (strings) or empty lists.
 *
 * <p>The IMAP defaults (sender and reply-to fall back to from when absent or empty) are applied
 * by {@link #imapSender()} and {@link #imapReplyTo()}, not stored.
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId) {

    public static final Envelope EMPTY = new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), null, null);

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }

    /** RFC 9051 §7.5.2: "If the Sender or Reply-To header lines are absent ... set to the value of the From". */
    public List<Address> imapSender() {
        return sender.isEmpty() ? from : sender;
    }

    /** RFC 9051 §7.5.2 default, as {@link #imapSender()}. */
    public List<Address> imapReplyTo() {
        return replyTo.isEmpty() ? from : replyTo;
    }

    /** The subject with RFC 2047 encoded words decoded, or null when there is none. */
    public String decodedSubject() {
        return subject == null ? null : EncodedWords.decode(subject);
    }

    /**
     * The first From mailbox for display: {@code Decoded Name <mailbox@host>} or {@code mailbox@host};
     * null when From has no mailbox.
     */
    public String displayFrom() {
        for (Address a : from) {
            if (!a.isMailbox()) continue;
            String name = a.name() == null ? null : EncodedWords.decode(a.name()).strip();
            return name == null || name.isEmpty() ? a.address() : name + " <" + a.address() + ">";
        }
        return null;
    }
}
