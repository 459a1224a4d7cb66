package dev.sealpost.smtp.proto;

import dev.sealpost.core.io.LineInput;

import java.io.InputStream;

/**
 * The buffered input side of an SMTP connection: the session kit's {@link LineInput} with SMTP's
 * rule that only CRLF ends a line (RFC 5321 §2.3.8: a bare LF is reported, never accepted) and a
 * 16 KiB buffer that {@link DataReader} scans in place for DATA; BDAT chunks are
 * {@link #transfer(long, java.io.OutputStream) transferred} (RFC 3030 §2).
 */
public final class SmtpInput extends LineInput {
    public SmtpInput(InputStream in, IoAction beforeBlocking) {
        super(in, beforeBlocking, 16 * 1024, LineEnd.CRLF);
    }
}
