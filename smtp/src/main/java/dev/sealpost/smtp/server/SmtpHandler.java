package dev.sealpost.smtp.server;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.SmtpRejection;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The policy side of one SMTP session: the engine (framing, syntax, extensions, TLS, AUTH,
 * limits) calls these at each step; each may refuse with an {@link SmtpRejection}.
 * One instance per connection, called from that connection's thread only.
 */
public interface SmtpHandler extends AutoCloseable {

    /** After a syntactically valid EHLO/HELO. */
    default void helo(SessionInfo session, String name) throws SmtpRejection {}

    /** After successful SASL authentication; may refuse (e.g. account disabled). */
    default void authenticated(SessionInfo session, String user) throws SmtpRejection {}

    /**
     * MAIL FROM with a parsed reverse-path (null = {@code <>}) and its parameters. A source
     * route ({@code <@a,@b:user@c>}) has already been dropped (RFC 5321 §4.1.1.3).
     */
    void mailFrom(SessionInfo session, MailTransaction tx) throws SmtpRejection;

    /**
     * RCPT TO; {@code tx} holds the recipients accepted so far (not yet this one).
     * <p>A recipient with an address literal ({@code user@[192.0.2.1]}, RFC 5321 §4.1.3) arrives
     * with the literal text, brackets included, as its {@link EmailAddress#domain()}: it is not
     * a {@code Domain}, and the handler decides whether to accept it. A bare
     * {@code <Postmaster>} (RFC 5321 §4.5.1) arrives as {@code postmaster@<server name>}.
     */
    void rcptTo(SessionInfo session, MailTransaction tx, MailTransaction.Recipient rcpt) throws SmtpRejection;

    /**
     * Called at DATA/first BDAT once at least one recipient is accepted. The engine writes the
     * message content (dot-unstuffed, CRLF line ends, without the terminating dot) to the
     * returned sink, then calls {@link MessageSink#commit} or {@link MessageSink#abort}.
     */
    MessageSink beginMessage(SessionInfo session, MailTransaction tx) throws SmtpRejection;

    /** RSET, a new MAIL, or the end of a transaction: forget per-transaction state. */
    default void reset() {}

    @Override
    default void close() {}

    /** Where the content of one message goes. */
    interface MessageSink {
        /** The stream the engine writes content to; it enforces no limit itself (the engine does). */
        OutputStream stream();

        /**
         * The whole content arrived. Store it durably and answer: the returned reply (250) is
         * sent only after this returns, so it must mean "stored" (RFC 5321 §4.1.1.4, §6.1).
         */
        Reply commit(SessionInfo session, MailTransaction tx) throws SmtpRejection, IOException;

        /**
         * The content is not wanted (limit exceeded, framing error, connection lost), or
         * {@link #commit} failed with an exception: release whatever was stored so far. Called at
         * most once, and never after a commit that returned a reply.
         */
        void abort();
    }

    /** Convenience for handlers: an email address's text as used in replies. */
    static String text(EmailAddress a) { return a == null ? "<>" : "<" + a + ">"; }
}
