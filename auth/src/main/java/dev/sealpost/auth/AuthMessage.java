package dev.sealpost.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parse-once view of a message for the authentication checks (DKIM, ARC, DMARC): the header
 * section as an ordered list of raw fields, and where the body starts.
 *
 * <p>The input is the message as sent on the wire, with CRLF line ends (RFC 5322 §2.1).
 * {@link #fromLenient(byte[])} first turns bare LF into CRLF, for test vectors and the CLI.
 *
 * <p>Never throws on content: a header line that is not {@code name ":" value} (no colon, a
 * name with characters outside RFC 5322 ftext, a continuation line with nothing to continue) is
 * kept as a field with {@link HeaderField#malformed()} set, so that nothing is silently lost.
 * Bounded: past {@link #maxHeaderFields} fields or {@link #maxHeaderBytes} bytes of header
 * section, no further fields are recorded and {@link #headerLimitExceeded()} is set (the body
 * offset is still found).
 */
public final class AuthMessage {
    /** Default bound on the number of header fields recorded. */
    public static final int DEFAULT_MAX_HEADER_FIELDS = 1000;
    /** Default bound on the size of the header section recorded, in bytes. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;

    private final byte[] bytes;
    private final List<HeaderField> headers;
    private final int bodyOffset;
    private final boolean headerLimitExceeded;
    private final int maxHeaderFields;
    private final int maxHeaderBytes;

    /**
     * One raw header field.
     *
     * @param name      the field name as written (without trailing white space), or the whole
     *                  first line when {@code malformed} and there is no colon
     * @param raw       the field's bytes: name, colon, value with its folding, and the final CRLF
     *                  when there was one
     * @param malformed true when the field is not {@code ftext ":" value}
     */
    public record HeaderField(String name, byte[] raw, boolean malformed) {
        public HeaderField {
            Objects.requireNonNull(name);
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        /** The raw field as ISO-8859-1 text: one char per byte, so byte-exact (for canonicalisation). */
        public String rawLatin1() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        /** True when the name equals {@code other}, ignoring ASCII case (RFC 5322 §1.2.2). */
        public boolean is(String other) {
            return !malformed && name.equalsIgnoreCase(other);
        }

        /** The value after the colon, with the final CRLF removed and folding kept, decoded as UTF-8 (RFC 6532) leniently. */
        public String value() {
            int colon = indexOf(raw, (byte) ':');
            int end = raw.length;
            if (end >= 2 && raw[end - 2] == '\r' && raw[end - 1] == '\n') end -= 2;
            int from = colon < 0 ? end : colon + 1;
            return new String(raw, from, end - from, StandardCharsets.UTF_8);
        }

        /** The value, unfolded (CRLF removed) and trimmed: for display and simple parsing. */
        public String unfoldedValue() {
            return value().replace("\r\n", "").replace("\n", "").strip();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HeaderField h && h.name.equals(name) && h.malformed == malformed && Arrays.equals(h.raw, raw);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return "HeaderField[" + name + (malformed ? ", malformed" : "") + ", " + raw.length + " bytes]";
        }
    }

    private AuthMessage(byte[] bytes, int maxHeaderFields, int maxHeaderBytes) {
        this.bytes = bytes;
        this.maxHeaderFields = maxHeaderFields;
        this.maxHeaderBytes = maxHeaderBytes;
        List<HeaderField> list = new ArrayList<>();
        boolean exceeded = false;
        int pos = 0;
        int n = bytes.length;
        int fieldStart = -1;
        int body = n;
        while (pos < n) {
            int eol = lineEnd(bytes, pos);
            int next = eol < n ? eol + 2 : n;
            if (eol == pos) { // empty line: end of the header section (RFC 5322 §2.1)
                body = next;
                break;
            }
            boolean continuation = bytes[pos] == ' ' || bytes[pos] == '\t';
            if (!continuation && fieldStart >= 0) {
                exceeded |= !add(list, fieldStart, pos, exceeded);
                fieldStart = -1;
            }
            if (fieldStart < 0) fieldStart = pos; // a continuation with nothing before it is kept as a malformed field
            pos = next;
        }
        if (fieldStart >= 0) exceeded |= !add(list, fieldStart, Math.min(pos, n), exceeded);
        this.headers = List.copyOf(list);
        this.bodyOffset = body;
        this.headerLimitExceeded = exceeded;
    }

    /** Adds the field [start, end); false when the limits are reached (the field is not recorded). */
    private boolean add(List<HeaderField> list, int start, int end, boolean alreadyExceeded) {
        if (alreadyExceeded || list.size() >= maxHeaderFields || end > maxHeaderBytes) return false;
        byte[] raw = Arrays.copyOfRange(bytes, start, end);
        int colon = indexOf(raw, (byte) ':');
        int firstEol = lineEnd(raw, 0);
        boolean malformed;
        String name;
        if (raw[0] == ' ' || raw[0] == '\t' || colon < 0 || colon > firstEol) {
            malformed = true;
            name = new String(raw, 0, firstEol, StandardCharsets.ISO_8859_1);
        } else {
            int nameEnd = colon;
            // RFC 5322 §4.5 obs-optional: white space between the name and the colon
            while (nameEnd > 0 && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) nameEnd--;
            name = new String(raw, 0, nameEnd, StandardCharsets.ISO_8859_1);
            malformed = nameEnd == 0 || !ftext(raw, nameEnd);
        }
        list.add(new HeaderField(name, raw, malformed));
        return true;
    }

    // RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126
    private static boolean ftext(byte[] raw, int end) {
        for (int i = 0; i < end; i++) {
            int c = raw[i] & 0xff;
            if (c < 33 || c > 126 || c == ':') return false;
        }
        return true;
    }

    /** Index of the CR of the next CRLF at or after {@code from}, or {@code b.length} when none. */
    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') return i;
        }
        return b.length;
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }

    /** A view of a CRLF message with the default limits. The array is not copied: do not change it. */
    public static AuthMessage of(byte[] message) {
        return of(message, DEFAULT_MAX_HEADER_FIELDS, DEFAULT_MAX_HEADER_BYTES);
    }

    /** A view of a CRLF message with explicit limits. The array is not copied: do not change it. */
    public static AuthMessage of(byte[] message, int maxHeaderFields, int maxHeaderBytes) {
        if (maxHeaderFields < 1 || maxHeaderBytes < 1) throw new IllegalArgumentException("limits must be positive");
        return new AuthMessage(Objects.requireNonNull(message), maxHeaderFields, maxHeaderBytes);
    }

    /**
     * A view of a message whose lines may end in bare LF (files, test vectors): each LF not
     * preceded by CR becomes CRLF first. Leniency for local input only: mail from the network
     * must use {@link #of(byte[])}, since its bytes are what was signed.
     */
    public static AuthMessage fromLenient(byte[] message) {
        return of(toCrlf(message));
    }

    /** Each LF not preceded by CR becomes CRLF. */
    public static byte[] toCrlf(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 32 + 2);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) out.write('\r');
            out.write(b);
        }
        return out.toByteArray();
    }

    /** The header fields in message order (top first). */
    public List<HeaderField> headers() {
        return headers;
    }

    /** The fields named {@code name} (ASCII case-insensitive), top first. */
    public List<HeaderField> headers(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.is(lower)).toList();
    }

    /** Offset of the first body byte (after the empty line); {@code length()} when there is no body. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** The body length in bytes. */
    public int bodyLength() {
        return bytes.length - bodyOffset;
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return Arrays.copyOfRange(bytes, bodyOffset, bytes.length);
    }

    /** The whole message; the internal array, not a copy: do not change it. */
    public byte[] bytes() {
        return bytes;
    }

    /** The total length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** True when the header section went past the field-count or size bound, so some fields are not listed. */
    public boolean headerLimitExceeded() {
        return headerLimitExceeded;
    }

    /** True when some header line was kept as a malformed field. */
    public boolean hasMalformedHeaders() {
        return headers.stream().anyMatch(HeaderField::malformed);
    }
}
