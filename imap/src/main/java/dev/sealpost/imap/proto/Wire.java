package dev.sealpost.imap.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writing IMAP data items (RFC 9051 §4): {@code NIL}, quoted strings and literals. A string is
 * sent quoted when it is short and has only safe characters, otherwise as a synchronizing
 * literal {@code {n}CRLF} followed by its octets.
 */
public final class Wire {
    /** Longest string sent quoted; longer ones go as literals. */
    static final int MAX_QUOTED = 1024;

    private Wire() {}

    /** {@code nstring}: NIL for null, else {@link #string}. */
    public static void nstring(ByteArrayOutputStream out, String s) {
        if (s == null) ascii(out, "NIL");
        else string(out, s);
    }

    /** {@code string} (RFC 9051 §4.3): quoted when possible, literal otherwise. */
    public static void string(ByteArrayOutputStream out, String s) {
        // RFC 9051 §4.3: neither a quoted string nor a literal may hold NUL (a header field of a
        // hostile message can); it is sent as U+FFFD. Octets that must arrive intact use literal8.
        if (s.indexOf('\0') >= 0) s = s.replace('\0', '\uFFFD');
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (quotable(b)) {
            out.write('"');
            for (byte c : b) {
                if (c == '"' || c == '\\') out.write('\\');
                out.write(c);
            }
            out.write('"');
        } else {
            literal(out, b, 0, b.length);
        }
    }

    /** A literal {@code {n}CRLF} and the octets (RFC 9051 §4.3); the caller makes sure they hold no NUL. */
    public static void literal(ByteArrayOutputStream out, byte[] b, int off, int len) {
        ascii(out, "{" + len + "}\r\n");
        out.write(b, off, len);
    }

    /** A binary literal {@code ~{n}CRLF} (RFC 3516 §4.3 literal8). */
    public static void literal8(ByteArrayOutputStream out, byte[] b, int off, int len) {
        ascii(out, "~{" + len + "}\r\n");
        out.write(b, off, len);
    }

    public static void ascii(ByteArrayOutputStream out, String s) {
        out.write(s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
    }

    /**
     * RFC 9051 §4.3 quoted: TEXT-CHAR without CR, LF, NUL; we also send 8-bit (UTF-8) text as a
     * literal so that IMAP4rev1 clients without UTF8=ACCEPT get it intact.
     */
    static boolean quotable(byte[] b) {
        if (b.length > MAX_QUOTED) return false;
        for (byte c : b) {
            if (c == '\r' || c == '\n' || c == 0 || c < 0) return false;
        }
        return true;
    }
}
