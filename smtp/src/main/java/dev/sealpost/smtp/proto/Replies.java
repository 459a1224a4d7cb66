package dev.sealpost.smtp.proto;

/**
 * The engine's standard replies, each with its basic code (RFC 5321 §4.2.2, §4.3.2) and
 * enhanced status code (RFC 3463, registry of RFC 5248). Handlers may use them too.
 */
public final class Replies {
    private Replies() {}

    // --- 2xx
    public static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender ok");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient ok");
    /** RFC 5321 §3.5.3: VRFY answered without revealing whether the user exists. */
    public static final Reply VRFY_CANNOT = Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply HELP = Reply.of(214, "2.0.0", "See RFC 5321; https://www.rfc-editor.org/rfc/rfc5321");
    /** RFC 3207 §4. */
    public static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    /** RFC 4954 §6. */
    public static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    /** RFC 5321 §4.1.1.4. */
    public static final Reply START_DATA = Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");

    // --- 4xx
    /** RFC 5321 §4.5.3.1.10: too many recipients is a temporary failure. */
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    public static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Local error in processing, try again later");
    /** RFC 4954 §6: temporary authentication failure. */
    public static final Reply AUTH_TEMP_FAIL = Reply.of(454, "4.7.0", "Temporary authentication failure, try again later");
    public static final Reply TLS_NOT_AVAILABLE = Reply.of(454, "4.7.0", "TLS not available");

    // --- 5xx
    /** RFC 5321 §4.2.4: command unrecognized. */
    public static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.2", "Command unrecognized");
    /** RFC 5321 §4.5.3.1.4 / §4.2.2: line too long is a 500. */
    public static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Line too long");
    /** RFC 5321 §2.3.8: lines end in CRLF only. */
    public static final Reply BARE_LF_COMMAND = Reply.of(500, "5.5.2", "Bare LF in command line not allowed");
    public static final Reply SYNTAX = Reply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    /** RFC 5321 §4.3.2. */
    public static final Reply BAD_SEQUENCE = Reply.of(503, "5.5.1", "Bad sequence of commands");
    /** RFC 5321 §3.5.3: EXPN may be disabled. */
    public static final Reply EXPN_DISABLED = Reply.of(502, "5.5.1", "EXPN not available");
    /** RFC 5321 §4.1.1.11: unrecognized MAIL/RCPT parameter. */
    public static final Reply UNKNOWN_PARAMETER = Reply.of(555, "5.5.4", "Parameter not recognized");
    /** RFC 1870 §6.1 / RFC 3463 5.3.4. */
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    /** RFC 5321 §4.5.3.1.6 text line limit; §4.3.2 allows 552 after end of data. */
    /**
     * The header section is over its size or field limit. RFC 5321 §4.2.2 / §4.3.2: 552 after
     * DATA ("exceeded storage allocation"); RFC 3463 §3.4: X.3.4 "message too big for system",
     * a per-message size limit set "for physical or administrative reasons" - this is one on a
     * part of the message. Not 554 5.6.0 (a media error): the header is not malformed, only
     * larger than we take. Permanent: resending the same message cannot succeed.
     */
    public static final Reply HEADER_TOO_LARGE = Reply.of(552, "5.3.4", "Message header size exceeds fixed maximum");
    /** Too many header fields: the same reasoning as {@link #HEADER_TOO_LARGE}. */
    public static final Reply TOO_MANY_HEADER_FIELDS = Reply.of(552, "5.3.4", "Too many header fields");
    public static final Reply DATA_LINE_TOO_LONG = Reply.of(552, "5.3.4", "Message line too long");
    /** RFC 5321 §2.3.8 (lines end with CRLF only); 550 is a valid DATA-end reply (§4.3.2). */
    public static final Reply BARE_CR_LF_IN_DATA = Reply.of(550, "5.6.0", "Message rejected: bare CR or LF not allowed (RFC 5321 section 2.3.8)");
    /** RFC 5321 §3.3 says 503 for DATA without recipients; we send 554 "no valid recipients" like Postfix (§4.3.2 lists 554 for DATA). */
    public static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    /** RFC 6531 §3.5: non-ASCII address without SMTPUTF8. */
    public static final Reply UTF8_REQUIRED = Reply.of(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
    /** RFC 4954 §4 / §6. */
    public static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
    public static final Reply AUTH_MALFORMED = Reply.of(501, "5.5.2", "Cannot decode authentication response");
    public static final Reply AUTH_MECH_UNKNOWN = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final Reply AUTH_NEEDS_ENCRYPTION = Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    public static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");

    // --- closing
    public static Reply bye(String serverName) { return Reply.of(221, "2.0.0", serverName + " closing connection"); }
    public static Reply tooManyErrors(String serverName) { return Reply.of(421, "4.7.0", serverName + " Too many errors, closing connection"); }
    /** RFC 5321 §4.5.3.2.7 server timeout; 4.4.2 "bad connection". */
    public static Reply timeout(String serverName) { return Reply.of(421, "4.4.2", serverName + " Timeout, closing connection"); }
    public static Reply shuttingDown(String serverName) { return Reply.of(421, "4.3.2", serverName + " Service shutting down"); }
}
