package dev.sealpost.smtp.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The content of one message (header and body, CRLF line ends, not dot-stuffed), opened as
 * often as needed: the queue streams it from the blob store.
 */
public interface MessageSource {
    /** Size in octets (used for SIZE=, RFC 1870 §4; an estimate is allowed). */
    long size() throws IOException;

    /** A fresh stream over the whole content; the caller closes it. */
    InputStream open() throws IOException;

    static MessageSource of(byte[] content) {
        byte[] copy = content.clone();
        return new MessageSource() {
            @Override public long size() { return copy.length; }
            @Override public InputStream open() { return new ByteArrayInputStream(copy); }
        };
    }

    static MessageSource of(Path file) {
        return new MessageSource() {
            @Override public long size() throws IOException { return Files.size(file); }
            @Override public InputStream open() throws IOException { return Files.newInputStream(file); }
        };
    }
}
