package dev.sealpost.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two DKIM canonicalisation algorithms (RFC 6376 §3.4), for header fields and bodies.
 * Header fields are handled as ISO-8859-1 strings (one char per byte) so that the bytes are kept
 * exactly; ARC (RFC 8617 §4.1.2) uses the same functions.
 */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** The {@code c=} word. */
    public String tag() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    /** Parses a {@code c=} word. */
    public static Canonicalization fromTag(String word) {
        return switch (word) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> null;
        };
    }

    /**
     * Canonicalises one raw header field (ISO-8859-1 text, name to value, with or without its
     * final CRLF). The result ends in CRLF; callers drop it for the signature field itself
     * (RFC 6376 §3.7).
     */
    public String header(String raw) {
        if (this == SIMPLE) {
            // RFC 6376 §3.4.1: unchanged (we add the final CRLF when the field was the last line without one)
            return raw.endsWith("\r\n") ? raw : raw + "\r\n";
        }
        // RFC 6376 §3.4.2
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw : raw.substring(0, colon);
        String value = colon < 0 ? "" : raw.substring(colon + 1);
        StringBuilder sb = new StringBuilder(raw.length());
        // lower-case the name (ASCII only) and delete WSP before the colon
        String n = name.strip();
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        sb.append(':');
        // unfold, compress WSP runs to one SP, delete WSP at both ends of the value
        boolean pendingSpace = false;
        boolean any = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                i++; // unfold: CRLF removed
                continue;
            }
            if (c == ' ' || c == '\t') {
                pendingSpace = true;
                continue;
            }
            if (c == '\r' && i == value.length() - 1) continue;
            if (pendingSpace && any) sb.append(' ');
            pendingSpace = false;
            sb.append(c);
            any = true;
        }
        return sb.append("\r\n").toString();
    }

    /** Header field canonicalisation returning bytes. */
    public byte[] headerBytes(String raw) {
        return header(raw).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Canonicalises a body (RFC 6376 §3.4.3, §3.4.4) into {@code sink}.
     *
     * @return the canonical body length (all of it, not only what the sink kept)
     */
    public long body(byte[] b, int off, int len, BodySink sink) {
        int end = off + len;
        if (this == SIMPLE) {
            // RFC 6376 §3.4.3: drop trailing empty lines; the body ends in exactly one CRLF
            int e = end;
            while (e - off >= 2 && b[e - 2] == '\r' && b[e - 1] == '\n') e -= 2;
            sink.write(b, off, e - off);
            sink.write(CRLF, 0, 2);
            return (e - off) + 2L;
        }
        // RFC 6376 §3.4.4: per line, WSP runs become one SP, WSP at line end goes; empty lines at the end go.
        // Most lines are already canonical (no tab, no double space, no trailing space): consecutive such
        // lines are passed on as one slice of the input, with their CRLFs; the others are rewritten.
        long total = 0;
        int pendingEmpty = 0;
        int runStart = -1, runEnd = -1;
        ByteArrayOutputStream line = null;
        int i = off;
        while (i < end) {
            int eol = i;
            boolean canonical = true, blank = true;
            byte prev = 0;
            for (; eol < end; eol++) {
                byte c = b[eol];
                if (c == '\r' && eol + 1 < end && b[eol + 1] == '\n') break;
                if (c == '\t' || (c == ' ' && prev == ' ')) canonical = false;
                if (c != ' ' && c != '\t') blank = false;
                prev = c;
            }
            boolean hasCrlf = eol < end;
            if (prev == ' ') canonical = false; // trailing WSP goes
            if (blank) {
                pendingEmpty++;
            } else if (canonical && hasCrlf && pendingEmpty == 0) {
                if (runStart < 0) runStart = i;
                runEnd = eol + 2;
            } else {
                if (runStart >= 0) {
                    sink.write(b, runStart, runEnd - runStart);
                    total += runEnd - runStart;
                    runStart = -1;
                }
                for (; pendingEmpty > 0; pendingEmpty--) {
                    sink.write(CRLF, 0, 2);
                    total += 2;
                }
                if (canonical && hasCrlf) {
                    runStart = i;
                    runEnd = eol + 2;
                } else {
                    if (line == null) line = new ByteArrayOutputStream(128);
                    line.reset();
                    boolean space = false;
                    for (int k = i; k < eol; k++) {
                        byte c = b[k];
                        if (c == ' ' || c == '\t') {
                            space = true;
                        } else {
                            if (space) line.write(' ');
                            space = false;
                            line.write(c);
                        }
                    }
                    byte[] l = line.toByteArray();
                    sink.write(l, 0, l.length);
                    sink.write(CRLF, 0, 2); // a last line without CRLF gets one
                    total += l.length + 2L;
                }
            }
            if (blank && runStart >= 0) {
                // the run ends before this (possibly trailing) empty line
                sink.write(b, runStart, runEnd - runStart);
                total += runEnd - runStart;
                runStart = -1;
            }
            i = hasCrlf ? eol + 2 : end;
        }
        if (runStart >= 0) {
            sink.write(b, runStart, runEnd - runStart);
            total += runEnd - runStart;
        }
        return total;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Where canonical body bytes go. */
    @FunctionalInterface
    public interface BodySink {
        void write(byte[] b, int off, int len);
    }

    /**
     * The body hash (RFC 6376 §3.7): SHA-256 of the canonical body, cut to {@code limit} bytes
     * when {@code limit >= 0} (the {@code l=} tag).
     */
    public BodyHash bodyHash(byte[] b, int off, int len, long limit, String hashAlgorithm) {
        MessageDigest md = digest(hashAlgorithm);
        long[] hashed = {0};
        long total = body(b, off, len, (buf, o, l) -> {
            int take = l;
            if (limit >= 0) take = (int) Math.max(0, Math.min(l, limit - hashed[0]));
            md.update(buf, o, take);
            hashed[0] += take;
        });
        return new BodyHash(md.digest(), total, hashed[0]);
    }

    /**
     * A body hash.
     *
     * @param hash            the digest
     * @param canonicalLength the length of the whole canonical body
     * @param hashedLength    how many of those bytes were hashed
     */
    public record BodyHash(byte[] hash, long canonicalLength, long hashedLength) {}

    static MessageDigest digest(String hashAlgorithm) {
        try {
            return MessageDigest.getInstance(switch (hashAlgorithm) {
                case "sha1" -> "SHA-1";
                case "sha256" -> "SHA-256";
                default -> throw new IllegalArgumentException(hashAlgorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
