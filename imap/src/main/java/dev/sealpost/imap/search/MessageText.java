package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.Address;
import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The searchable text of one message, computed lazily and at most once per message: header fields,
 * decoded header values, decoded body text, sent date. One instance lives for the evaluation of one
 * command against one message, so a search with many keys reads and decodes each message once.
 */
final class MessageText {
    /** Most characters of decoded body text searched per message; the rest is not searched. */
    static final int MAX_BODY_CHARS = 16 * 1024 * 1024;

    record Field(String name, String value) {}

    private final MessageView msg;
    private byte[] raw;
    private MessageStructure structure;
    private List<Field> fields;
    private final Map<String, List<String>> foldedValues = new HashMap<>();
    private String foldedHeader;
    private String foldedBody;
    private OffsetDateTime sentDate;
    private boolean sentDateDone;

    MessageText(MessageView msg) {
        this.msg = msg;
    }

    MessageView view() {
        return msg;
    }

    byte[] raw() throws IOException {
        if (raw == null) raw = msg.raw();
        return raw;
    }

    MessageStructure structure() throws IOException {
        if (structure == null) structure = msg.structure();
        return structure;
    }

    /** The root header's fields in order, unfolded, names in lower case. */
    List<Field> fields() throws IOException {
        if (fields == null) {
            Part root = structure().root();
            fields = parseFields(raw(), root.headerStart(), root.headerLength());
        }
        return fields;
    }

    /** The first value of a field (raw, unfolded, trimmed), or null. */
    String first(String name) throws IOException {
        for (Field f : fields()) if (f.name().equals(name)) return f.value().strip();
        return null;
    }

    /** All values of a field, RFC 2047-decoded and case-folded. */
    List<String> foldedValues(String name) throws IOException {
        List<String> v = foldedValues.get(name);
        if (v == null) {
            v = new ArrayList<>();
            for (Field f : fields()) if (f.name().equals(name)) v.add(fold(EncodedWords.decode(f.value().strip())));
            foldedValues.put(name, v);
        }
        return v;
    }

    /** An address field as addresses ({@code name <mailbox@host>}, groups as {@code name: ... ;}), case-folded. */
    String foldedAddresses(String name) throws IOException {
        var env = structure().envelope();
        List<Address> list = switch (name) {
            case "from" -> env.from();
            case "to" -> env.to();
            case "cc" -> env.cc();
            case "bcc" -> env.bcc();
            case "sender" -> env.sender();
            case "reply-to" -> env.replyTo();
            default -> List.of();
        };
        StringBuilder b = new StringBuilder();
        for (Address a : list) {
            if (a.isGroupStart()) {
                b.append(EncodedWords.decode(a.mailbox())).append(": ");
            } else if (a.isGroupEnd()) {
                b.append("; ");
            } else {
                if (a.name() != null && !a.name().isBlank()) b.append(EncodedWords.decode(a.name())).append(' ');
                b.append('<').append(a.address()).append(">, ");
            }
        }
        return fold(b.toString());
    }

    /** The whole header, values decoded, case-folded (TEXT). */
    String foldedHeader() throws IOException {
        if (foldedHeader == null) {
            StringBuilder b = new StringBuilder();
            for (Field f : fields()) b.append(f.name()).append(": ").append(EncodedWords.decode(f.value().strip())).append('\n');
            foldedHeader = fold(b.toString());
        }
        return foldedHeader;
    }

    /** The decoded text of every text part, and the headers of embedded messages, case-folded (BODY). */
    String foldedBody() throws IOException {
        if (foldedBody == null) {
            StringBuilder b = new StringBuilder();
            Part root = structure().root();
            bodyText(raw(), root, b, true);
            if (b.length() > MAX_BODY_CHARS) b.setLength(MAX_BODY_CHARS);
            foldedBody = fold(b.toString());
        }
        return foldedBody;
    }

    /** The parsed Date field (RFC 5322 §3.6.1), or null when absent or unreadable. */
    OffsetDateTime sentDate() throws IOException {
        if (!sentDateDone) {
            String d = structure().envelope().date();
            sentDate = DateTimes.rfc5322(d);
            sentDateDone = true;
        }
        return sentDate;
    }

    private static void bodyText(byte[] raw, Part p, StringBuilder out, boolean root) {
        if (out.length() > MAX_BODY_CHARS) return;
        if (p.isMultipart()) {
            for (Part c : p.children()) bodyText(raw, c, out, false);
        } else if (p.isMessage()) {
            Part m = p.message();
            for (Field f : parseFields(raw, m.headerStart(), m.headerLength())) {
                out.append(f.name()).append(": ").append(EncodedWords.decode(f.value().strip())).append('\n');
            }
            bodyText(raw, m, out, false);
        } else if (p.type().equals("text")) {
            int start = (int) Math.min(p.bodyStart(), raw.length);
            int end = (int) Math.min(p.end(), raw.length);
            byte[] decoded = decodeTransfer(raw, start, end - start, p.encoding());
            out.append(charsetText(decoded, p.param("charset"))).append('\n');
        }
    }

    /** RFC 2045 §6: base64 and quoted-printable; other encodings are the octets themselves. */
    static byte[] decodeTransfer(byte[] b, int off, int len, String encoding) {
        if ("base64".equals(encoding)) {
            // RFC 2045 §6.8: characters outside the alphabet are ignored
            byte[] clean = new byte[len];
            int n = 0;
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') clean[n++] = c;
            }
            if (n % 4 == 1) n--;
            try {
                return Base64.getDecoder().decode(java.util.Arrays.copyOf(clean, n)); // padding is optional
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
        if ("quoted-printable".equals(encoding)) {
            byte[] out = new byte[len];
            int n = 0;
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '=') {
                    // RFC 2045 §6.7: soft line break "=" CRLF (or bare LF), or =XX
                    if (i + 1 < off + len && b[i + 1] == '\n') {
                        i += 1;
                        continue;
                    }
                    if (i + 2 < off + len && b[i + 1] == '\r' && b[i + 2] == '\n') {
                        i += 2;
                        continue;
                    }
                    if (i + 2 < off + len && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                        out[n++] = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                        i += 2;
                        continue;
                    }
                }
                out[n++] = c; // leniency: a malformed "=" is kept
            }
            return java.util.Arrays.copyOf(out, n);
        }
        return java.util.Arrays.copyOfRange(b, off, off + len);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Text in the part's charset; unknown or absent charsets: UTF-8 when valid, else ISO-8859-1. */
    static String charsetText(byte[] b, String charset) {
        if (charset != null) {
            try {
                Charset cs = Charset.forName(charset.strip());
                if (!cs.equals(StandardCharsets.US_ASCII)) return new String(b, cs);
            } catch (IllegalArgumentException e) {
                // fall through to the guess
            }
        }
        return utf8OrLatin1(b, 0, b.length);
    }

    static String utf8OrLatin1(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** RFC 5322 §2.2 header fields of {@code b[off, off+len)}, unfolded (§2.2.3), names in lower case. */
    static List<Field> parseFields(byte[] b, long offL, long lenL) {
        int off = (int) Math.min(offL, b.length);
        int end = (int) Math.min(offL + lenL, b.length);
        String text = utf8OrLatin1(b, off, end - off);
        List<Field> out = new ArrayList<>();
        String name = null;
        StringBuilder value = null;
        int i = 0;
        while (i < text.length()) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) eol = text.length();
            int lineEnd = eol > i && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            String line = text.substring(i, lineEnd);
            i = eol + 1;
            if (line.isEmpty()) break; // end of the header section
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (value != null) value.append(line);
                continue;
            }
            if (name != null) out.add(new Field(name, value.toString()));
            name = null;
            value = null;
            int colon = line.indexOf(':');
            if (colon > 0) {
                String n = line.substring(0, colon).strip();
                if (!n.isEmpty() && n.indexOf(' ') < 0 && n.indexOf('\t') < 0) {
                    name = n.toLowerCase(Locale.ROOT);
                    value = new StringBuilder(line.substring(colon + 1));
                }
            }
        }
        if (name != null) out.add(new Field(name, value.toString()));
        return out;
    }

    /** Case folding for substring matching: each code point upper- then lower-cased (close to i;unicode-casemap). */
    static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (ascii) return s.toLowerCase(Locale.ROOT);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int f = Character.toLowerCase(Character.toUpperCase(cp));
            if (f != cp && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            if (b != null) b.appendCodePoint(f);
            i += Character.charCount(cp);
        }
        return b == null ? s : b.toString();
    }
}
