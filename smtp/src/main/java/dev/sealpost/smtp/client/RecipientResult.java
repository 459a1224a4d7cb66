package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.smtp.proto.Reply;

/**
 * The fate of one recipient: the reply to its RCPT when that refused it, otherwise the reply
 * that ended the message (or the MAIL reply, or one made by the client when no reply came).
 *
 * @param address the recipient
 * @param reply   the reply that decided (never null)
 * @param outcome ACCEPTED, TEMPFAIL or PERMFAIL
 */
public record RecipientResult(EmailAddress address, Reply reply, Outcome outcome) {}
