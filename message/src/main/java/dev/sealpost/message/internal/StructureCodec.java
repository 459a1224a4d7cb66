package dev.sealpost.message.internal;

import dev.sealpost.message.Address;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache format of {@link MessageStructure}: octet 0 is the format version, then variable-length
 * integers (LEB128, unsigned) and strings (length + 1, 0 for null, then UTF-8), depth first.
 *
 * <pre>
 * structure = version(1) size bareLF(0|1) part
 * part      = headerStart headerLength bodyStart bodyLength bodyLines type subtype map(params)
 *             id description encoding disposition map(dispositionParams) list(language) location md5
 *             flags(bit0 limitHit, bit1 envelope, bit2 message) [envelope] count *part [part]
 * envelope  = date subject 6*addresses inReplyTo messageId
 * addresses = count *(name route mailbox host)
 * </pre>
 * Offsets are written as they are (not deltas): simple, and small next to the strings.
 */
public final class StructureCodec {
    public static final int VERSION = 1;
    /** Decoding refuses deeper nesting than any parse could produce with sane limits. */
    private static final int MAX_DEPTH = 1000;

    private StructureCodec() {}

    public static byte[] encode(MessageStructure s) {
        Out o = new Out();
        o.buf.write(VERSION);
        o.num(s.size());
        o.buf.write(s.bareLineFeeds() ? 1 : 0);
        part(o, s.root());
        return o.buf.toByteArray();
    }

    private static void part(Out o, Part p) {
        o.num(p.headerStart());
        o.num(p.headerLength());
        o.num(p.bodyStart());
        o.num(p.bodyLength());
        o.num(p.bodyLines());
        o.str(p.type());
        o.str(p.subtype());
        o.map(p.params());
        o.str(p.id());
        o.str(p.description());
        o.str(p.encoding());
        o.str(p.disposition());
        o.map(p.dispositionParams());
        o.num(p.language().size());
        for (String l : p.language()) o.str(l);
        o.str(p.location());
        o.str(p.md5());
        o.buf.write((p.limitHit() ? 1 : 0) | (p.envelope() != null ? 2 : 0) | (p.message() != null ? 4 : 0));
        if (p.envelope() != null) envelope(o, p.envelope());
        o.num(p.children().size());
        for (Part c : p.children()) part(o, c);
        if (p.message() != null) part(o, p.message());
    }

    private static void envelope(Out o, Envelope e) {
        o.str(e.date());
        o.str(e.subject());
        for (List<Address> l : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            o.num(l.size());
            for (Address a : l) {
                o.str(a.name());
                o.str(a.route());
                o.str(a.mailbox());
                o.str(a.host());
            }
        }
        o.str(e.inReplyTo());
        o.str(e.messageId());
    }

    public static MessageStructure decode(byte[] data) {
        if (data == null || data.length == 0) throw new IllegalArgumentException("empty structure");
        if (data[0] != VERSION) throw new IllegalArgumentException("unknown structure format version " + data[0]);
        In in = new In(data);
        in.pos = 1;
        try {
            long size = in.num();
            boolean bare = in.flag();
            Part root = part(in, 0);
            if (in.pos != data.length) throw new IllegalArgumentException("trailing octets in structure");
            return new MessageStructure(root, size, bare);
        } catch (ArrayIndexOutOfBoundsException | NullPointerException e) {
            throw new IllegalArgumentException("damaged structure", e);
        }
    }

    private static Part part(In in, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("structure nested too deeply");
        long hs = in.num(), hl = in.num(), bs = in.num(), bl = in.num(), lines = in.num();
        String type = in.str(), subtype = in.str();
        Map<String, String> params = in.map();
        String id = in.str(), description = in.str(), encoding = in.str(), disposition = in.str();
        Map<String, String> dparams = in.map();
        int nl = in.count();
        List<String> language = new ArrayList<>(nl);
        for (int i = 0; i < nl; i++) language.add(in.str());
        String location = in.str(), md5 = in.str();
        int flags = in.octet();
        Envelope env = (flags & 2) != 0 ? envelope(in) : null;
        int nc = in.count();
        List<Part> children = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) children.add(part(in, depth + 1));
        Part message = (flags & 4) != 0 ? part(in, depth + 1) : null;
        return new Part(hs, hl, bs, bl, lines, type, subtype, params, id, description, encoding, disposition, dparams,
                language, location, md5, env, children, message, (flags & 1) != 0);
    }

    private static Envelope envelope(In in) {
        String date = in.str(), subject = in.str();
        List<List<Address>> lists = new ArrayList<>(6);
        for (int k = 0; k < 6; k++) {
            int n = in.count();
            List<Address> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(new Address(in.str(), in.str(), in.str(), in.str()));
            lists.add(l);
        }
        return new Envelope(date, subject, lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4),
                lists.get(5), in.str(), in.str());
    }

    private static final class Out {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);

        void num(long v) {
            if (v < 0) throw new IllegalArgumentException("negative " + v);
            while ((v & ~0x7FL) != 0) {
                buf.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.write((int) v);
        }

        void str(String s) {
            if (s == null) {
                num(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            num(b.length + 1L);
            buf.writeBytes(b);
        }

        void map(Map<String, String> m) {
            num(m.size());
            for (var e : m.entrySet()) {
                str(e.getKey());
                str(e.getValue());
            }
        }
    }

    private static final class In {
        final byte[] d;
        int pos;

        In(byte[] d) {
            this.d = d;
        }

        int octet() {
            return d[pos++] & 0xFF;
        }

        boolean flag() {
            int v = octet();
            if (v > 1) throw new IllegalArgumentException("bad flag " + v);
            return v == 1;
        }

        long num() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = octet();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (v < 0) throw new IllegalArgumentException("number out of range");
                    return v;
                }
            }
            throw new IllegalArgumentException("number too long");
        }

        /** A count that must fit in the remaining octets (each item takes at least one). */
        int count() {
            long n = num();
            if (n > d.length - pos) throw new IllegalArgumentException("count " + n + " exceeds data");
            return (int) n;
        }

        String str() {
            long n = num();
            if (n == 0) return null;
            long len = n - 1;
            if (len > d.length - pos) throw new IllegalArgumentException("string length " + len + " exceeds data");
            String s = new String(d, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
            return s;
        }

        Map<String, String> map() {
            int n = count();
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = str();
                String v = str();
                if (k == null || v == null) throw new IllegalArgumentException("null in parameter map");
                m.put(k, v);
            }
            return m;
        }
    }
}
