package dev.sealpost.pop3.proto;

import dev.sealpost.core.io.LineInput;

import java.io.InputStream;

/**
 * The buffered input side of a POP3 connection: the session kit's {@link LineInput} with an
 * 8 KiB buffer.
 *
 * <p>Leniency, a decision: a line may end with a bare LF as well as CRLF (RFC 1939 §3 says
 * CRLF). POP3 commands carry no message data, so there is nothing to smuggle, and hand-typed
 * sessions (netcat) work.
 */
public final class Pop3Input extends LineInput {
    public Pop3Input(InputStream in, IoAction beforeBlocking) {
        super(in, beforeBlocking, 8 * 1024, LineEnd.CRLF_OR_LF);
    }
}
