package dev.sealpost.imap.fetch;

import dev.sealpost.imap.fetch.FetchRequest.Section;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** The octets of BODY[section] and BINARY[section] (RFC 9051 §6.4.5, RFC 3516 §4.2). */
final class Sections {
    private Sections() {}

    /**
     * Resolves part numbers (RFC 9051 §6.4.5): the parts of a multipart are numbered from 1; a
     * message that is not multipart has one part, 1, which is its body; the part numbers after a
     * message/rfc822 part index into the embedded message the same way. Null when there is no
     * such part. Leniency (Dovecot's): {@code N.1} of a leaf part N is N itself.
     */
    static Part resolve(Part root, List<Integer> path) {
        Part cur = null;
        // true when cur is a non-multipart message standing for its own part 1
        boolean messageBody = false;
        for (int i = 0; i < path.size(); i++) {
            int n = path.get(i);
            // the entity whose body the number indexes: the root first, then an embedded message
            Part container;
            if (cur == null) {
                container = root;
            } else if (cur.isMultipart()) {
                container = cur;
            } else if (cur.isMessage()) {
                container = cur.message();
            } else {
                // leniency as in Dovecot: a leaf part of a multipart is its own part 1 (not so the body
                // of a non-multipart message, which already is that message's part 1)
                if (n != 1 || messageBody) return null;
                continue;
            }
            if (container.isMultipart()) {
                if (n > container.children().size()) return null;
                cur = container.children().get(n - 1);
                messageBody = false;
            } else {
                if (n != 1) return null;
                cur = container;
                messageBody = true;
            }
        }
        return cur;
    }

    /** BODY[section] content, or null for a nonexistent part (answered with an empty string). */
    static byte[] body(Section s, byte[] raw, MessageStructure st) {
        Part root = st.root();
        Part part = s.part().isEmpty() ? null : resolve(root, s.part());
        if (!s.part().isEmpty() && part == null) return null;
        // for HEADER, HEADER.FIELDS[.NOT] and TEXT after part numbers, the part must be a message/rfc822
        Part message = s.part().isEmpty() ? root : (part.isMessage() ? part.message() : null);
        return switch (s.text()) {
            case NONE -> part == null ? raw : range(raw, part.bodyStart(), part.end());
            case MIME -> range(raw, part.headerStart(), part.bodyStart()); // RFC 9051 §6.4.5 MIME: the part's header
            case HEADER -> message == null ? null : range(raw, message.headerStart(), message.bodyStart());
            case TEXT -> message == null ? null : range(raw, message.bodyStart(), message.end());
            case HEADER_FIELDS, HEADER_FIELDS_NOT -> message == null ? null
                    : headerFields(raw, message.headerStart(), message.bodyStart(), s.fields(),
                    s.text() == FetchRequest.Text.HEADER_FIELDS_NOT);
        };
    }

    /**
     * BINARY[section] content decoded from its Content-Transfer-Encoding (RFC 3516 §4.2), or null
     * for a nonexistent part. For a multipart or message part, and for BINARY[] (the whole
     * message), every leaf inside is decoded and its Content-Transfer-Encoding field says
     * {@code binary}, as Dovecot does; a composite without encoded leaves comes out unchanged.
     */
    static byte[] binary(Section s, byte[] raw, MessageStructure st) throws UnknownCteException {
        if (s.part().isEmpty()) {
            if (!anyEncoded(st.root())) return raw; // never modified by the caller
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
            entity(out, raw, st.root());
            return out.toByteArray();
        }
        Part part = resolve(st.root(), s.part());
        if (part == null) return null;
        int from = clamp(part.bodyStart(), raw), to = Math.max(from, clamp(part.end(), raw));
        if (part.isMultipart() || part.isMessage()) {
            if (!anyEncoded(part)) return java.util.Arrays.copyOfRange(raw, from, to);
            ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
            body(out, raw, part);
            return out.toByteArray();
        }
        return TransferDecoding.decode(part.encoding(), raw, from, to - from);
    }

    /** True when some leaf at or below {@code p} has an encoding other than 7bit, 8bit or binary. */
    private static boolean anyEncoded(Part p) {
        if (p.isMultipart()) {
            for (Part c : p.children()) if (anyEncoded(c)) return true;
            return false;
        }
        if (p.isMessage()) return anyEncoded(p.message());
        return !TransferDecoding.identity(p.encoding());
    }

    /** Header and decoded body of one entity. */
    private static void entity(ByteArrayOutputStream out, byte[] raw, Part p) throws UnknownCteException {
        int hs = clamp(p.headerStart(), raw), bs = Math.max(hs, clamp(p.bodyStart(), raw));
        boolean decodedLeaf = !p.isMultipart() && !p.isMessage() && !TransferDecoding.identity(p.encoding());
        if (decodedLeaf) header(out, raw, hs, bs);
        else out.write(raw, hs, bs - hs);
        body(out, raw, p);
    }

    /** The body of {@code p} with every leaf inside decoded (the bytes between parts as they are). */
    private static void body(ByteArrayOutputStream out, byte[] raw, Part p) throws UnknownCteException {
        int bs = clamp(p.bodyStart(), raw), end = Math.max(bs, clamp(p.end(), raw));
        if (p.isMultipart()) {
            int pos = bs;
            for (Part c : p.children()) {
                int cs = Math.max(pos, clamp(c.headerStart(), raw));
                out.write(raw, pos, cs - pos); // preamble or delimiter line
                entity(out, raw, c);
                pos = Math.max(cs, clamp(c.end(), raw));
            }
            if (end > pos) out.write(raw, pos, end - pos); // close delimiter and epilogue
        } else if (p.isMessage()) {
            Part m = p.message();
            int ms = Math.max(bs, clamp(m.headerStart(), raw));
            out.write(raw, bs, ms - bs);
            entity(out, raw, m);
            int me = Math.max(ms, clamp(m.end(), raw));
            if (end > me) out.write(raw, me, end - me);
        } else {
            out.writeBytes(TransferDecoding.decode(p.encoding(), raw, bs, end - bs));
        }
    }

    /** A header with its Content-Transfer-Encoding field (and its folded lines) replaced by {@code binary}. */
    private static void header(ByteArrayOutputStream out, byte[] raw, int start, int end) {
        byte[] name = "content-transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int i = start;
        boolean skipping = false;
        while (i < end) {
            int lineEnd = i;
            while (lineEnd < end && raw[lineEnd] != '\n') lineEnd++;
            int next = lineEnd < end ? lineEnd + 1 : end;
            boolean continuation = raw[i] == ' ' || raw[i] == '\t';
            if (!continuation) {
                skipping = false;
                int colon = i;
                while (colon < lineEnd && raw[colon] != ':') colon++;
                int nameEnd = colon;
                while (nameEnd > i && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) nameEnd--;
                if (colon < lineEnd && nameEnd - i == name.length && equalsIgnoreCase(raw, i, name)) {
                    out.writeBytes("Content-Transfer-Encoding: binary\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    skipping = true;
                }
            }
            if (!skipping) out.write(raw, i, next - i);
            i = next;
        }
    }

    private static boolean equalsIgnoreCase(byte[] raw, int from, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int a = raw[from + k] & 0xff;
            if (a >= 'A' && a <= 'Z') a += 32;
            if (a != lower[k]) return false;
        }
        return true;
    }

    private static int clamp(long x, byte[] raw) {
        return (int) Math.min(Math.max(0, x), raw.length);
    }

    private static byte[] range(byte[] raw, long from, long to) {
        int f = clamp(from, raw);
        return java.util.Arrays.copyOfRange(raw, f, Math.max(f, clamp(to, raw)));
    }

    /**
     * HEADER.FIELDS / HEADER.FIELDS.NOT (RFC 9051 §6.4.5): the fields whose names are (or are not)
     * in {@code names}, compared case-insensitively, in their original order with their folded
     * lines, followed by the empty line that ends a header (for .NOT only when the header had one,
     * as Dovecot answers). Lines that are not
     * fields (no colon) are kept by .NOT only.
     */
    static byte[] headerFields(byte[] raw, long from, long to, List<String> names, boolean not) {
        int start = clamp(from, raw), end = Math.max(start, clamp(to, raw));
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(end - start, 4096) + 2);
        int i = start;
        boolean keep = false;
        boolean emptyLine = false;
        while (i < end) {
            int lineEnd = i;
            while (lineEnd < end && raw[lineEnd] != '\n') lineEnd++;
            int next = lineEnd < end ? lineEnd + 1 : end;
            int contentEnd = lineEnd;
            if (contentEnd > i && raw[contentEnd - 1] == '\r') contentEnd--;
            if (contentEnd == i) {
                emptyLine = true; // the empty line that ends the header
                break;
            }
            byte first = raw[i];
            if (first == ' ' || first == '\t') {
                if (keep) out.write(raw, i, next - i); // RFC 5322 §2.2.3 continuation line
            } else {
                int colon = i;
                while (colon < contentEnd && raw[colon] != ':') colon++;
                int nameEnd = colon;
                while (nameEnd > i && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) nameEnd--;
                // a line that is not a field (no colon) is not any listed field: kept by .NOT only (as Dovecot does)
                keep = colon < contentEnd ? listed(raw, i, nameEnd, names) != not : not;
                if (keep) out.write(raw, i, next - i);
            }
            i = next;
        }
        // a last kept line without a line end gets one
        byte[] b = out.toByteArray();
        if (b.length > 0 && b[b.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
        // the empty line: always for HEADER.FIELDS; for .NOT (a copy of the header less some fields)
        // only when the header had one (a message that is all header has none), as Dovecot answers
        if (emptyLine || !not) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static boolean listed(byte[] raw, int from, int to, List<String> names) {
        for (String n : names) {
            if (n.length() != to - from) continue;
            boolean eq = true;
            for (int k = 0; k < n.length() && eq; k++) {
                int a = raw[from + k] & 0xff, b = n.charAt(k);
                if (a >= 'A' && a <= 'Z') a += 32;
                if (b >= 'A' && b <= 'Z') b += 32;
                eq = a == b;
            }
            if (eq) return true;
        }
        return false;
    }
}
