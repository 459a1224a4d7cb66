package dev.sealpost.inbound;

import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;

import java.io.IOException;
import java.util.List;

/**
 * A check or transformation that needs the whole message before "250": sender
 * authentication at the MX (SPF, DKIM, DMARC, ARC), DKIM signing at submission, filters.
 * Runs after the content arrived and before it is stored.
 */
@FunctionalInterface
public interface ContentPolicy {
    /**
     * @return header fields to prepend (each complete, folded, ending in CRLF), in order; may be empty
     * @throws SmtpRejection to refuse the message (e.g. DMARC reject: 550 5.7.1)
     */
    List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException;

    /**
     * Whether a header field of the received content must be left out of the stored message,
     * e.g. an Authentication-Results field that claims to be ours (RFC 8601 §5).
     *
     * @param value the unfolded field value
     */
    default boolean removeHeader(SessionInfo session, String name, String value) {
        return false;
    }
}
