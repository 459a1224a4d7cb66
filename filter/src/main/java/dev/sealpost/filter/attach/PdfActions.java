package dev.sealpost.filter.attach;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds active content in a PDF by its name tokens (ISO 32000-1 §7.3.5 names, with {@code #xx}
 * escapes decoded, so that {@code /J#61vaScript} counts): {@code /JavaScript} and {@code /JS}
 * (§12.6.4.16), {@code /Launch} (§12.6.4.5), {@code /OpenAction} (§7.7.2) and {@code /AA}
 * (additional actions, §12.6.3). Names are looked for in the file and in its FlateDecode streams
 * (§7.4.4: object streams hide whole dictionaries there), inflated up to {@link #MAX_INFLATED}
 * octets in all and {@link #MAX_STREAMS} streams. Never throws.
 */
public final class PdfActions {
    private PdfActions() {}

    public static boolean isPdf(byte[] b) {
        // the header may follow up to 1024 octets of junk, as readers accept
        int end = Math.min(b.length - 4, 1024);
        for (int i = 0; i < end; i++) {
            if (b[i] == '%' && b[i + 1] == 'P' && b[i + 2] == 'D' && b[i + 3] == 'F') return true;
        }
        return false;
    }

    public static final int MAX_INFLATED = 8 << 20;
    public static final int MAX_STREAMS = 256;

    /** The action names found: a subset of {@code JavaScript} (for /JS too), {@code Launch}, {@code OpenAction}, {@code AA}. */
    public static Set<String> find(byte[] b) {
        Set<String> out = new LinkedHashSet<>();
        names(b, out);
        if (out.size() < 4) {
            long[] budget = {MAX_INFLATED};
            int streams = 0;
            int at = indexOf(b, STREAM, 0);
            while (at >= 0 && streams < MAX_STREAMS && budget[0] > 0) {
                int start = at + STREAM.length;
                if (start < b.length && b[start] == '\r') start++;
                boolean eol = start < b.length && b[start] == '\n';
                boolean word = at == 0 || !Character.isLetter(b[at - 1] & 0xFF);
                if (!eol || !word) { // "stream" not followed by an end of line is not the keyword ("endstream" included)
                    at = indexOf(b, STREAM, at + 1);
                    continue;
                }
                start++;
                int end = indexOf(b, ENDSTREAM, start);
                streams++;
                byte[] inflated = inflate(b, start, (end < 0 ? b.length : end) - start, budget);
                if (inflated.length > 0) names(inflated, out);
                if (end < 0) break; // linear: each octet is scanned a bounded number of times
                at = indexOf(b, STREAM, end + ENDSTREAM.length);
            }
        }
        return out;
    }

    private static final byte[] STREAM = "stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ENDSTREAM = "endstream".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** zlib-inflates (RFC 1950/1951) what it can of {@code len} octets, spending at most the budget; empty when not zlib. */
    private static byte[] inflate(byte[] b, int off, int len, long[] budget) {
        if (len < 2 || (b[off] & 0x0F) != 8 || (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF)) % 31 != 0) return new byte[0];
        java.util.zip.Inflater inf = new java.util.zip.Inflater();
        try {
            inf.setInput(b, off, len);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished() && budget[0] > 0) {
                int n = inf.inflate(buf, 0, (int) Math.min(buf.length, budget[0]));
                if (n == 0) break; // needs input or a dictionary: what was there is inflated
                out.write(buf, 0, n);
                budget[0] -= n;
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            return new byte[0];
        } finally {
            inf.end();
        }
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) if (b[i + k] != what[k]) continue outer;
            return i;
        }
        return -1;
    }

    private static void names(byte[] b, Set<String> out) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '/') continue;
            name.setLength(0);
            int j = i + 1;
            while (j < b.length && name.length() < 16) {
                int c = b[j] & 0xFF;
                if (c <= 0x20 || c == '/' || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']'
                        || c == '{' || c == '}' || c == '%' || c >= 0x7F) break;
                if (c == '#' && j + 2 < b.length && hex(b[j + 1]) >= 0 && hex(b[j + 2]) >= 0) {
                    name.append((char) (hex(b[j + 1]) << 4 | hex(b[j + 2])));
                    j += 3;
                } else {
                    name.append((char) c);
                    j++;
                }
            }
            switch (name.toString()) {
                case "JavaScript", "JS" -> out.add("JavaScript");
                case "Launch" -> out.add("Launch");
                case "OpenAction" -> out.add("OpenAction");
                case "AA" -> out.add("AA");
                default -> { }
            }
            i = j - 1;
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
