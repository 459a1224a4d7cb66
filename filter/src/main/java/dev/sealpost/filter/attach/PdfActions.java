package dev.sealpost.filter.attach;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds active content in a PDF by its name tokens (ISO 32000-1 §7.3.5 names, with {@code #xx}
 * escapes decoded, so that {@code /J#61vaScript} counts): {@code /JavaScript} and {@code /JS}
 * (§12.6.4.16), {@code /Launch} (§12.6.4.5), {@code /OpenAction} (§7.7.2) and {@code /AA}
 * (additional actions, §12.6.3). Names inside compressed object streams are not seen (no stream
 * decoder here). Linear in the data; never throws.
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

    /** The action names found: a subset of {@code JavaScript} (for /JS too), {@code Launch}, {@code OpenAction}, {@code AA}. */
    public static Set<String> find(byte[] b) {
        Set<String> out = new LinkedHashSet<>();
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
        return out;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
