package dev.sealpost.queue;

import dev.sealpost.smtp.client.MessageSource;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A spooled message as sent to a remote server: the blob, with any leading {@code Return-Path}
 * header fields removed. Return-Path is a final-delivery field (RFC 5321 §4.4: "a message-
 * relaying SMTP server ... MUST NOT add" it; ADR 0001: ours is prepended at acceptance when
 * every recipient was local, and an alias may forward such a message).
 */
final class StoredMessage implements MessageSource {
    /** Longest header field line looked at when skipping Return-Path (a longer one is left as it is). */
    private static final int MAX_FIELD = 8192;

    private final BlobStore blobs;
    private final BlobRef blob;

    StoredMessage(BlobStore blobs, BlobRef blob) {
        this.blobs = blobs;
        this.blob = blob;
    }

    @Override
    public long size() {
        return blob.size();
    }

    @Override
    public InputStream open() throws IOException {
        return stripReturnPath(blobs.open(blob.id()));
    }

    /** The stream without its leading Return-Path fields (folded continuation lines included). */
    static InputStream stripReturnPath(InputStream raw) throws IOException {
        java.io.PushbackInputStream in = new java.io.PushbackInputStream(raw, MAX_FIELD + 16);
        while (true) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !new String(head, StandardCharsets.US_ASCII).equalsIgnoreCase("Return-Path:")) {
                in.unread(head);
                return in;
            }
            // skip to the end of the field: a line end not followed by SP / HTAB (RFC 5322 §2.2.3)
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            field.write(head);
            while (true) {
                int b = in.read();
                if (b < 0 || field.size() >= MAX_FIELD) {
                    // not a sane header field: leave the content untouched
                    if (b >= 0) field.write(b);
                    return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(field.toByteArray()), in);
                }
                field.write(b);
                if (b == '\n') {
                    int next = in.read();
                    if (next >= 0) in.unread(next);
                    if (next != ' ' && next != '\t') break;
                }
            }
        }
    }

    /** The header section (up to and including the empty line), at most {@code max} octets. */
    static byte[] headers(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1, prev2 = -1, prev3 = -1;
        while (out.size() < max) {
            int b = in.read();
            if (b < 0) break;
            out.write(b);
            if (b == '\n' && prev == '\r' && prev2 == '\n' && prev3 == '\r') break;
            if (b == '\n' && prev == '\n') break;
            prev3 = prev2;
            prev2 = prev;
            prev = b;
        }
        return out.toByteArray();
    }
}
