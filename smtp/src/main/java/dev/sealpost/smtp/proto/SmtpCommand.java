package dev.sealpost.smtp.proto;

import dev.sealpost.core.mail.EmailAddress;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP command line, parsed (RFC 5321 §4.1). {@link #parse} is a pure, total function:
 * any input gives a {@link Parsed} command or an {@link Invalid} reply, never an exception,
 * so it can be fuzzed. Syntax is checked here; whether a command fits the session state
 * (sequence, TLS, AUTH, limits) is the engine's business.
 */
public sealed interface SmtpCommand {

    /** RFC 5321 §4.1.1.1. */
    record Ehlo(String domain) implements SmtpCommand {}
    /** RFC 5321 §4.1.1.1. */
    record Helo(String domain) implements SmtpCommand {}

    /**
     * MAIL FROM (RFC 5321 §4.1.1.2) with its known ESMTP parameters.
     *
     * @param reversePath  the mailbox, or null for {@code <>}; a source route is dropped (RFC 5321 §4.1.1.3)
     * @param body         BODY value upper-cased, or null when not given (RFC 6152, RFC 3030)
     * @param smtpUtf8     SMTPUTF8 given (RFC 6531 §3.4)
     * @param requireTls   REQUIRETLS given (RFC 8689 §4)
     * @param size         SIZE value, -1 when not given (RFC 1870); {@link Long#MAX_VALUE} when it overflows
     * @param ret          RET=FULL|HDRS or null (RFC 3461 §4.3)
     * @param envid        ENVID, xtext-decoded, or null (RFC 3461 §4.4)
     * @param hasParameters any parameter was given (not allowed after HELO, RFC 5321 §4.1.1.11)
     */
    record Mail(EmailAddress reversePath, String body, boolean smtpUtf8, boolean requireTls, long size,
                String ret, String envid, boolean hasParameters) implements SmtpCommand {}

    /**
     * RCPT TO (RFC 5321 §4.1.1.3).
     *
     * @param forwardPath the mailbox; null for the bare {@code <Postmaster>} of RFC 5321 §4.5.1
     *                    (the engine substitutes {@code postmaster@<server name>}). A mailbox
     *                    with an address literal ({@code user@[192.0.2.1]}) has the literal text,
     *                    brackets included, as its domain.
     * @param dsnNotify   NOTIFY values upper-cased, empty when not given (RFC 3461 §4.1)
     * @param orcpt       ORCPT as {@code addr-type;decoded-address}, or null (RFC 3461 §4.2)
     * @param hasParameters any parameter was given
     */
    record Rcpt(EmailAddress forwardPath, List<String> dsnNotify, String orcpt, boolean hasParameters) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.4. */
    record Data() implements SmtpCommand {}
    /** RFC 3030 §2: {@code BDAT chunk-size [LAST]}. */
    record Bdat(long size, boolean last) implements SmtpCommand {}
    /** RFC 5321 §4.1.1.5. */
    record Rset() implements SmtpCommand {}
    /** RFC 5321 §4.1.1.9. */
    record Noop() implements SmtpCommand {}
    /** RFC 5321 §4.1.1.10. */
    record Quit() implements SmtpCommand {}
    /** RFC 5321 §4.1.1.6. */
    record Vrfy(String argument) implements SmtpCommand {}
    /** RFC 5321 §4.1.1.7. */
    record Expn(String argument) implements SmtpCommand {}
    /** RFC 5321 §4.1.1.8. */
    record Help(String argument) implements SmtpCommand {}
    /** RFC 3207 §4. */
    record StartTls() implements SmtpCommand {}
    /**
     * RFC 4954 §4.
     *
     * @param mechanism       upper-cased SASL mechanism name
     * @param initialResponse the base64 initial response, {@code "="} for an empty one, or null
     */
    record Auth(String mechanism, String initialResponse) implements SmtpCommand {}

    /** The outcome of parsing one line. */
    sealed interface Result {}

    /** A syntactically valid command. */
    record Parsed(SmtpCommand command) implements Result {}

    /**
     * A line that is not a valid command.
     *
     * @param reply           what to answer
     * @param closeConnection the engine cannot stay in sync (a bad BDAT line: the size of the
     *                        chunk that follows is unknown) and must close after replying
     */
    record Invalid(Reply reply, boolean closeConnection) implements Result {}

    /** RFC 3461 §4.4: ENVID at most 100 characters. */
    int MAX_ENVID = 100;
    /** RFC 3461 §4.2: ORCPT at most 500 characters. */
    int MAX_ORCPT = 500;
    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
    int MAX_PATH = 256;

    /**
     * Parses a command line given as bytes without its CRLF. Bytes that are not valid UTF-8
     * are rejected.
     *
     * @param smtpUtf8Allowed the current transaction declared SMTPUTF8, so RCPT paths may be
     *                        non-ASCII (RFC 6531 §3.4); a MAIL line's own SMTPUTF8 parameter
     *                        allows it for that line
     */
    static Result parse(byte[] line, boolean smtpUtf8Allowed) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return Parser.invalid(Parser.isBdat(new String(line, StandardCharsets.ISO_8859_1)),
                    Reply.of(500, "5.5.2", "Invalid UTF-8 in command line"));
        }
        return parse(s, smtpUtf8Allowed);
    }

    /** Parses a command line given as text without its CRLF. */
    static Result parse(String line, boolean smtpUtf8Allowed) {
        try {
            return Parser.parse(line, smtpUtf8Allowed);
        } catch (RuntimeException e) {
            // Defensive: a parser bug must not become a session crash. Never expected.
            return new Invalid(Replies.SYNTAX, Parser.isBdat(line));
        }
    }
}
