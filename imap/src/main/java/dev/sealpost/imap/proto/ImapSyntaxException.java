package dev.sealpost.imap.proto;

/** A command argument that does not follow the RFC 9051 §9 grammar: the session answers {@code BAD} with the message. */
public final class ImapSyntaxException extends Exception {
    public ImapSyntaxException(String message) {
        super(message, null, false, false);
    }
}
