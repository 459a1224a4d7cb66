package dev.sealpost.auth.dkim;

import dev.sealpost.auth.AuthMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signs messages (RFC 6376 §5, RFC 8463): builds the DKIM-Signature header field to put on top
 * of the message. Thread-safe.
 */
public final class DkimSigner {
    /** Folded lines stay within this many columns (RFC 5322 §2.1.1 recommends 78). */
    static final int MAX_COLUMNS = 78;
    private static final String FIELD = "DKIM-Signature";

    private final Clock clock;

    public DkimSigner(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Signs {@code msg}.
     *
     * @return the whole header field, {@code "DKIM-Signature: v=1; ..."}, folded, without the final CRLF
     */
    public String sign(AuthMessage msg, DkimSigningKey key, SignOptions o) {
        DkimAlgorithm alg = key.algorithm();
        if (o.identity() != null) {
            int at = o.identity().lastIndexOf('@');
            // RFC 6376 §3.5 i=: the domain part is d= or a subdomain of it
            if (at < 0 || !DkimSignature.isSameOrSubdomain(o.identity().substring(at + 1), key.domain())) {
                throw new IllegalArgumentException("i= " + o.identity() + " is not within d= " + key.domain());
            }
        }
        Canonicalization.BodyHash bh = o.bodyCanon().bodyHash(msg.bytes(), msg.bodyOffset(), msg.bodyLength(), -1, alg.hash());
        List<String> h = signedHeaders(msg, o);
        long t = clock.instant().getEpochSecond();

        Folder f = new Folder(FIELD + ":");
        f.add("v=1;", true);
        f.add("a=" + alg.tag() + ";", true);
        f.add("c=" + o.headerCanon().tag() + "/" + o.bodyCanon().tag() + ";", true);
        f.add("d=" + key.domain() + ";", true);
        f.add("s=" + key.selector() + ";", true);
        if (o.identity() != null) f.add("i=" + o.identity() + ";", true);
        f.add("t=" + t + ";", true);
        if (o.expiration() != null) f.add("x=" + (t + o.expiration().toSeconds()) + ";", true); // RFC 6376 §3.5 x= > t=
        if (o.bodyLength()) f.add("l=" + bh.canonicalLength() + ";", true);
        for (int i = 0; i < h.size(); i++) {
            String item = (i == 0 ? "h=" : "") + h.get(i) + (i == h.size() - 1 ? ";" : ":");
            f.add(item, i == 0);
        }
        f.add("bh=" + Base64.getEncoder().encodeToString(bh.hash()) + ";", true);
        f.add("b=", true);
        String unsigned = f.text();
        // RFC 6376 §3.7: hash the selected fields, then this field with an empty b= and no final CRLF
        byte[] data = DkimHasher.headerData(msg, h, o.headerCanon(), unsigned);
        byte[] sig = DkimHasher.sign(alg, key.privateKey(), data);
        f.addBase64(Base64.getEncoder().encodeToString(sig));
        return f.text();
    }

    /** Builds the whole signed message: the field, CRLF, then the message. */
    public static byte[] prepend(String field, byte[] message) {
        byte[] head = (field + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    /**
     * The h= list: each configured field once per instance present; oversigned fields once more
     * (RFC 6376 §8.15), so that no instance can be added without breaking the signature.
     */
    static List<String> signedHeaders(AuthMessage msg, SignOptions o) {
        List<String> h = new ArrayList<>();
        List<String> names = new ArrayList<>(o.headers());
        for (String over : o.oversign()) if (names.stream().noneMatch(over::equalsIgnoreCase)) names.add(over);
        for (String name : names) {
            long present = msg.headers().stream().filter(x -> x.is(name)).count();
            boolean over = o.oversign().stream().anyMatch(name::equalsIgnoreCase);
            long times = present + (over ? 1 : 0);
            for (long i = 0; i < times; i++) h.add(name);
        }
        return h;
    }

    /** Folds a header field at white space, lines within {@link #MAX_COLUMNS} columns (RFC 5322 §2.2.3). */
    private static final class Folder {
        private final StringBuilder sb;
        private int col;

        Folder(String start) {
            sb = new StringBuilder(start);
            col = start.length();
        }

        void add(String item, boolean space) {
            int need = item.length() + (space ? 1 : 0);
            if (col + need > MAX_COLUMNS) {
                sb.append("\r\n ");
                col = 1;
            } else if (space) {
                sb.append(' ');
                col++;
            }
            sb.append(item);
            col += item.length();
        }

        // RFC 6376 §3.5 b=: FWS may appear anywhere in the base64 value
        void addBase64(String b64) {
            int i = 0;
            while (i < b64.length()) {
                int room = MAX_COLUMNS - col;
                if (room <= 0) {
                    sb.append("\r\n ");
                    col = 1;
                    continue;
                }
                int take = Math.min(room, b64.length() - i);
                sb.append(b64, i, i + take);
                col += take;
                i += take;
            }
        }

        String text() {
            return sb.toString();
        }
    }
}
