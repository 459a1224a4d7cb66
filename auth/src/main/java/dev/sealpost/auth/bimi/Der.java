package dev.sealpost.auth.bimi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal bounded DER reader (X.690 §8.1, §10.1) for the logotype extension: single-octet
 * tags, definite lengths of at most four octets, every length checked against its container.
 * Not API: the BIMI evidence check's own tool.
 */
final class Der {
    /** One TLV: its tag octet and the content's offsets in {@code buf}. */
    record Tlv(byte[] buf, int tag, int start, int end) {
        boolean constructed() {
            return (tag & 0x20) != 0;
        }

        /** The TLVs inside a constructed value. */
        List<Tlv> children() throws Malformed {
            if (!constructed()) throw new Malformed("primitive value has no children");
            List<Tlv> out = new ArrayList<>();
            int pos = start;
            while (pos < end) {
                if (out.size() >= 1000) throw new Malformed("more than 1000 elements");
                Tlv t = read(buf, pos, end);
                out.add(t);
                pos = t.end;
            }
            return out;
        }

        byte[] content() {
            byte[] out = new byte[end - start];
            System.arraycopy(buf, start, out, 0, out.length);
            return out;
        }

        String ascii() {
            return new String(buf, start, end - start, StandardCharsets.US_ASCII);
        }

        /** The dotted form of an OBJECT IDENTIFIER's content (X.690 §8.19). */
        String oid() throws Malformed {
            if (tag != 0x06 || end == start) throw new Malformed("not an OID");
            StringBuilder b = new StringBuilder();
            long v = 0;
            boolean first = true;
            for (int i = start; i < end; i++) {
                int o = buf[i] & 0xFF;
                if (v > (Long.MAX_VALUE >> 8)) throw new Malformed("OID arc too large");
                v = (v << 7) | (o & 0x7F);
                if ((o & 0x80) != 0) continue;
                if (first) {
                    long x = v < 40 ? 0 : v < 80 ? 1 : 2;
                    b.append(x).append('.').append(v - 40 * x);
                    first = false;
                } else {
                    b.append('.').append(v);
                }
                v = 0;
            }
            if ((buf[end - 1] & 0x80) != 0) throw new Malformed("truncated OID");
            return b.toString();
        }
    }

    /** Not DER we can read. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private Der() {}

    /** The TLV at {@code pos}, which must end by {@code limit}. */
    static Tlv read(byte[] buf, int pos, int limit) throws Malformed {
        if (pos + 2 > limit) throw new Malformed("truncated");
        int tag = buf[pos] & 0xFF;
        if ((tag & 0x1F) == 0x1F) throw new Malformed("multi-octet tag");
        int len = buf[pos + 1] & 0xFF;
        int p = pos + 2;
        if (len == 0x80) throw new Malformed("indefinite length");
        if (len > 0x80) {
            int n = len & 0x7F;
            if (n > 4 || p + n > limit) throw new Malformed("bad length");
            len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | (buf[p + i] & 0xFF);
            p += n;
            if (len < 0) throw new Malformed("bad length");
        }
        if (len > limit - p) throw new Malformed("length beyond its container");
        return new Tlv(buf, tag, p, p + len);
    }

    /** The single TLV filling {@code buf}. */
    static Tlv parse(byte[] buf) throws Malformed {
        Tlv t = read(buf, 0, buf.length);
        if (t.end() != buf.length) throw new Malformed("trailing data");
        return t;
    }
}
