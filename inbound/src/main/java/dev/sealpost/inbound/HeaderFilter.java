package dev.sealpost.inbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;

/**
 * Copies a message, leaving out the header fields a predicate names (RFC 5322 §2.2: a field
 * is its first line plus the folded lines that follow). Everything else, and the body, is
 * copied byte for byte. Bounded: past {@link #MAX_HEADER_BYTES} of header section the rest is
 * copied as is.
 */
final class HeaderFilter {
    static final int MAX_HEADER_BYTES = 1024 * 1024;

    private HeaderFilter() {}

    /**
     * @param drop gets the field name and its unfolded value; true removes the field
     * @return the number of fields removed
     */
    static int copy(InputStream in, OutputStream out, BiPredicate<String, String> drop) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream(256);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int removed = 0;
        long seen = 0;
        int c;
        while (true) {
            line.reset();
            while ((c = in.read()) != -1) {
                line.write(c);
                seen++;
                if (c == '\n') break;
            }
            byte[] l = line.toByteArray();
            boolean end = l.length == 0 || isBlank(l) || seen > MAX_HEADER_BYTES;
            boolean continuation = !end && (l[0] == ' ' || l[0] == '\t');
            if (!continuation && field.size() > 0) {
                if (decide(field.toByteArray(), drop)) removed++;
                else field.writeTo(out);
                field.reset();
            }
            if (end) {
                out.write(l);
                in.transferTo(out);
                return removed;
            }
            field.write(l);
        }
    }

    private static boolean isBlank(byte[] l) {
        return (l.length == 2 && l[0] == '\r' && l[1] == '\n') || (l.length == 1 && l[0] == '\n');
    }

    private static boolean decide(byte[] raw, BiPredicate<String, String> drop) {
        String f = new String(raw, StandardCharsets.UTF_8);
        int colon = f.indexOf(':');
        if (colon <= 0) return false; // not a header field: keep as received
        String name = f.substring(0, colon).trim();
        String value = f.substring(colon + 1).replaceAll("\r?\n", "").trim();
        return drop.test(name, value);
    }
}
