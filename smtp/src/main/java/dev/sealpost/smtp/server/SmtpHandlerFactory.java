package dev.sealpost.smtp.server;

import dev.sealpost.smtp.proto.SmtpRejection;

/** Makes one {@link SmtpHandler} per connection. */
@FunctionalInterface
public interface SmtpHandlerFactory {
    /**
     * Called once per connection, before the greeting (after the TLS handshake on an implicit
     * TLS listener). A rejection is sent instead of the greeting and the connection is closed
     * (RFC 5321 §3.1: a 554 may replace the 220).
     */
    SmtpHandler open(SessionInfo session) throws SmtpRejection;
}
