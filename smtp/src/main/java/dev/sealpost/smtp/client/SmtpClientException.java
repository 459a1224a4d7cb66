package dev.sealpost.smtp.client;

import dev.sealpost.smtp.proto.Reply;

import java.io.IOException;

/**
 * A session step (greeting, EHLO, STARTTLS, AUTH) did not succeed. Carries the server's reply
 * when there was one, and whether the connection may still be used.
 */
public final class SmtpClientException extends IOException {
    /** What went wrong. */
    public enum Kind {
        /** The server refused the step with a reply (see {@link #reply()}). */
        REFUSED,
        /** The server does not offer the extension (STARTTLS, AUTH, the mechanism). */
        NOT_OFFERED,
        /** The TLS handshake failed; the connection is closed. */
        TLS_HANDSHAKE,
        /** The certificate did not meet the {@link TlsRequirement}; the connection is closed. */
        TLS_CERTIFICATE,
        /** We refuse to send credentials without TLS ({@link ClientSettings#allowPlaintextAuth()}). */
        INSECURE,
        /** The server broke the protocol (bad reply, response injection, failed SCRAM server proof); closed. */
        PROTOCOL
    }

    private final Kind kind;
    private final transient Reply reply;
    private final boolean connectionUsable;

    public SmtpClientException(Kind kind, String message, Reply reply, boolean connectionUsable, Throwable cause) {
        super(message + (reply == null ? "" : ": " + reply), cause);
        this.kind = kind;
        this.reply = reply;
        this.connectionUsable = connectionUsable;
    }

    public Kind kind() { return kind; }

    /** The server's reply, or null. */
    public Reply reply() { return reply; }

    /** True when the connection is still open and in a known state (e.g. STARTTLS refused with 454). */
    public boolean connectionUsable() { return connectionUsable; }

    /** A 4xx reply, or no reply at all (network, TLS): worth trying again later. */
    public boolean temporary() {
        return reply == null || reply.code() < 500;
    }
}
