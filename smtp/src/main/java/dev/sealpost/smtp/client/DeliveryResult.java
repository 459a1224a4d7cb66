package dev.sealpost.smtp.client;

import dev.sealpost.smtp.proto.Reply;

import java.util.List;

/**
 * The result of one {@link SmtpConnection#send}: a message-level outcome and one result per
 * recipient, in envelope order.
 *
 * @param outcome           ACCEPTED when the server took the message for at least one recipient
 *                          (see the recipients for the others); TEMPFAIL (retry: 4xx, lost
 *                          connection, timeout); PERMFAIL (bounce: 5xx)
 * @param reply             the reply that decided the message (final DATA/BDAT reply, or MAIL
 *                          reply, or the last RCPT refusal, or one made by the client)
 * @param fromPeer          false when {@code reply} was made by the client (a requirement the
 *                          server cannot meet: SMTPUTF8, REQUIRETLS, SIZE, 8BITMIME conversion;
 *                          or a lost connection). Such a result concerns this server only: another
 *                          MX host may still do (RFC 8689 §4.2.1)
 * @param possiblyDelivered the connection was lost or timed out after the end of data was sent
 *                          and before the reply: the server may have accepted the message; a
 *                          retry risks a duplicate (RFC 5321 §6.1 ("...the receiver-SMTP may
 *                          have accepted the message"), RFC 1047)
 * @param recipients        per-recipient results, envelope order
 */
public record DeliveryResult(Outcome outcome, Reply reply, boolean fromPeer, boolean possiblyDelivered,
                             List<RecipientResult> recipients) {
    public DeliveryResult {
        recipients = List.copyOf(recipients);
    }

    /** Recipients with the given outcome. */
    public List<RecipientResult> recipients(Outcome o) {
        return recipients.stream().filter(r -> r.outcome() == o).toList();
    }
}
