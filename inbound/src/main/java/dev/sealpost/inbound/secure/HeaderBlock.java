package dev.sealpost.inbound.secure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A message split into its header fields (each with its folding and final CRLF, RFC 5322 §2.2)
 * and its body, for the few edits the gateway makes: a field removed, the Subject rewritten, a
 * field added, the outer fields kept around a decrypted entity. Bare LF line ends are made CRLF
 * first (the canonical form signatures cover, RFC 8551 §3.1.1, RFC 3156 §5).
 */
final class HeaderBlock {
    /** One header field: its name and its raw octets (ISO-8859-1 text, with folding and CRLF). */
    record Field(String name, String raw) {
        boolean is(String n) {
            return name.equalsIgnoreCase(n);
        }

        /** The unfolded value without the name and colon. */
        String value() {
            int colon = raw.indexOf(':');
            return raw.substring(colon + 1).replace("\r\n", "").strip();
        }

        boolean isContentField() {
            String l = name.toLowerCase(Locale.ROOT);
            return l.startsWith("content-") || l.equals("mime-version");
        }
    }

    final List<Field> fields;
    final byte[] body;

    private HeaderBlock(List<Field> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
    }

    static byte[] canonical(byte[] m) {
        boolean bare = false;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) {
                bare = true;
                break;
            }
        }
        if (!bare) return m;
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length + 64);
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) out.write('\r');
            out.write(m[i]);
        }
        return out.toByteArray();
    }

    static HeaderBlock parse(byte[] message) {
        byte[] m = canonical(message);
        String text = new String(m, StandardCharsets.ISO_8859_1);
        int end = text.startsWith("\r\n") ? 0 : text.indexOf("\r\n\r\n");
        int bodyStart;
        String head;
        if (end < 0) {
            head = text.endsWith("\r\n") ? text : text + "\r\n";
            bodyStart = m.length;
        } else {
            head = text.substring(0, end == 0 ? 0 : end + 2);
            bodyStart = end == 0 ? 2 : end + 4;
        }
        List<Field> fields = new ArrayList<>();
        StringBuilder cur = null;
        String name = null;
        for (String line : head.split("(?<=\r\n)")) {
            if (line.isEmpty()) continue;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && cur != null) {
                cur.append(line);
                continue;
            }
            if (cur != null) fields.add(new Field(name, cur.toString()));
            int colon = line.indexOf(':');
            name = colon > 0 ? line.substring(0, colon).strip() : "";
            cur = new StringBuilder(line);
        }
        if (cur != null) fields.add(new Field(name, cur.toString()));
        byte[] body = java.util.Arrays.copyOfRange(m, Math.min(bodyStart, m.length), m.length);
        return new HeaderBlock(fields, body);
    }

    /** The unfolded value of the first field named {@code name}, or null. */
    String value(String name) {
        for (Field f : fields) if (f.is(name)) return f.value();
        return null;
    }

    List<String> values(String name) {
        return fields.stream().filter(f -> f.is(name)).map(Field::value).toList();
    }

    HeaderBlock without(Predicate<Field> drop) {
        return new HeaderBlock(fields.stream().filter(drop.negate()).toList(), body);
    }

    HeaderBlock with(List<Field> newFields) {
        return new HeaderBlock(List.copyOf(newFields), body);
    }

    /** A copy with {@code raw} (a whole field with its CRLF) added after the existing fields. */
    HeaderBlock plus(String raw) {
        List<Field> f = new ArrayList<>(fields);
        f.add(new Field(raw.substring(0, raw.indexOf(':')), raw));
        return new HeaderBlock(f, body);
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 4096);
        for (Field f : fields) out.writeBytes(f.raw.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {'\r', '\n'});
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * The outer fields of {@code this} (all but Content-* and MIME-Version) around a decrypted
     * entity (its own Content-* fields and body): the message as it was before encryption.
     */
    byte[] around(byte[] entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.length + 4096);
        for (Field f : fields) if (!f.isContentField()) out.writeBytes(f.raw.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(canonical(entity));
        return out.toByteArray();
    }
}
