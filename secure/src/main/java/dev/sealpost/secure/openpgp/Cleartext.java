package dev.sealpost.secure.openpgp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The text rules of the Cleartext Signature Framework (RFC 9580 §7). */
final class Cleartext {
    private Cleartext() {}

    /**
     * The text's lines (LF or CRLF ends). A final line end starts an empty last line, so that
     * {@code String.join("\n", lines)} gives the text back (less its CRs).
     */
    static List<String> lines(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                int end = i > start && s.charAt(i - 1) == '\r' ? i - 1 : i;
                out.add(s.substring(start, end));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** The text a reader gets back: the lines joined by LF. */
    static byte[] content(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 9580 §7.2: trailing spaces and tabs removed, lines joined by CRLF, no line end after the last. */
    static byte[] signedOctets(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(stripTrailing(lines.get(i)).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) end--;
        return line.substring(0, end);
    }

    /** A parsed cleartext signed message. */
    record Parsed(List<String> lines, byte[] signatureBlock) {}

    static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    static final String SIG_BEGIN = "-----BEGIN PGP SIGNATURE-----";

    /** Whether the data starts (after white space) with the CSF header line. */
    static boolean isCleartext(byte[] data) {
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) i++;
        return new String(data, i, Math.min(BEGIN.length(), data.length - i), StandardCharsets.US_ASCII).equals(BEGIN);
    }

    /** Splits a CSF message into its (dash-unescaped) text lines and the armored signature; null when malformed. */
    static Parsed parse(byte[] data) {
        List<String> all = lines(data);
        int i = 0;
        while (i < all.size() && all.get(i).isBlank()) i++;
        if (i >= all.size() || !all.get(i).strip().equals(BEGIN)) return null;
        i++;
        // armor headers ("Hash: ..."), then one empty line (RFC 9580 §7.1)
        while (i < all.size() && !all.get(i).isEmpty()) {
            if (all.get(i).indexOf(':') < 0) return null;
            i++;
        }
        if (i >= all.size()) return null;
        i++;
        List<String> text = new ArrayList<>();
        while (i < all.size() && !all.get(i).strip().equals(SIG_BEGIN)) {
            String line = all.get(i);
            // RFC 9580 §7.2: "- " before a line is dash escaping and is removed
            text.add(line.startsWith("- ") ? line.substring(2) : line);
            i++;
        }
        if (i >= all.size()) return null;
        StringBuilder sig = new StringBuilder();
        for (; i < all.size(); i++) sig.append(all.get(i)).append('\n');
        return new Parsed(text, sig.toString().getBytes(StandardCharsets.UTF_8));
    }
}
