package dev.sealpost.message;

import dev.sealpost.message.internal.StructureCodec;
import dev.sealpost.message.internal.StructureParser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The parsed structure of one stored message: its MIME tree with byte ranges, and envelopes.
 * Built once at delivery by {@link #parse}, cached by the store ({@link #toBytes()}), and read by
 * IMAP for BODYSTRUCTURE, ENVELOPE, BODY[section] and partial fetches without parsing again.
 *
 * @param root          the message itself (its {@link Part#envelope()} is the message's envelope)
 * @param size          octets read
 * @param bareLineFeeds true when some line ended in a bare LF instead of CRLF (stored content should
 *                      be CRLF; IMAP sizes of such a message need normalizing)
 */
public record MessageStructure(Part root, long size, boolean bareLineFeeds) {

    /**
     * Parser limits. Exceeding one never fails the parse: the part concerned is marked
     * {@link Part#limitHit()} and treated as a leaf from that point, so a hostile message is still
     * deliverable and its structure stays bounded.
     *
     * @param maxHeaderBytes    octets kept of one header section (the rest is skipped, not parsed)
     * @param maxHeaderFields   header fields kept per header section
     * @param maxDepth          MIME nesting (multipart and message/rfc822 levels below the root)
     * @param maxParts          parts in the whole message
     * @param maxBoundaryLength longest multipart boundary accepted (RFC 2046 §5.1.1 allows 70)
     */
    public record Limits(int maxHeaderBytes, int maxHeaderFields, int maxDepth, int maxParts, int maxBoundaryLength) {
        public Limits {
            if (maxHeaderBytes < 1 || maxHeaderFields < 1 || maxDepth < 0 || maxParts < 1 || maxBoundaryLength < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxHeaderBytes + ", " + maxHeaderFields
                        + ", " + maxDepth + ", " + maxParts + ", " + maxBoundaryLength);
            }
        }

        /** 256 KiB and 1000 fields per header section, depth 20, 1000 parts, boundaries up to 200 octets. */
        public static Limits defaults() {
            return new Limits(256 * 1024, 1000, 20, 1000, 200);
        }
    }

    public MessageStructure {
        java.util.Objects.requireNonNull(root, "root");
    }

    /**
     * Reads {@code in} to its end once and returns the structure. Holds at most one header section
     * (bounded by {@link Limits#maxHeaderBytes()}) and one line prefix in memory, plus the parsed
     * fields of each part. Never throws on content, however malformed; does not close {@code in}.
     *
     * @throws IOException only when reading {@code in} fails
     */
    public static MessageStructure parse(InputStream in, Limits limits) throws IOException {
        return new StructureParser(in, limits).parse();
    }

    /** {@link #parse(InputStream, Limits)} of a byte array with default limits. */
    public static MessageStructure parse(byte[] message) {
        try {
            return parse(new ByteArrayInputStream(message), Limits.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for a byte array
        }
    }

    /** The message's envelope (the root part's). */
    public Envelope envelope() {
        return root.envelope();
    }

    /** True when a limit was hit anywhere in the message. */
    public boolean limitHit() {
        return anyLimitHit(root);
    }

    private static boolean anyLimitHit(Part p) {
        if (p.limitHit()) return true;
        if (p.message() != null && anyLimitHit(p.message())) return true;
        for (Part c : p.children()) if (anyLimitHit(c)) return true;
        return false;
    }

    /** A compact, versioned binary form for the store's cache (first octet: format version). */
    public byte[] toBytes() {
        return StructureCodec.encode(this);
    }

    /**
     * Reads {@link #toBytes()} output.
     *
     * @throws IllegalArgumentException for an unknown format version or damaged data (the caller
     *                                  should then parse the message again)
     */
    public static MessageStructure fromBytes(byte[] data) {
        return StructureCodec.decode(data);
    }
}
