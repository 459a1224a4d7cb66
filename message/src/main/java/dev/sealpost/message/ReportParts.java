package dev.sealpost.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Finds the machine-readable attachment of a report mail (DMARC aggregate reports, RFC 7489
 * §7.2.1.1; TLS-RPT, RFC 8460 §5.3): the first leaf MIME part a predicate accepts, decoded from
 * base64 or quoted-printable. A deliberately small reader for this one job (headers, multipart
 * boundaries, transfer encodings), bounded in nesting depth; the input is untrusted and held
 * as ISO-8859-1 text so that every byte survives.
 */
public final class ReportParts {
    private ReportParts() {}

    /** Malformed MIME structure: the message says what is wrong. */
    public static final class MalformedException extends IOException {
        public MalformedException(String message) {
            super(message);
        }
    }

    /**
     * @param mail     the whole message
     * @param maxDepth deepest multipart nesting followed
     * @param wanted   gets the part's media type (lower case) and file name (lower case, "" if none)
     * @return the decoded content of the first accepted part, or null when no part is accepted
     */
    public static byte[] find(byte[] mail, int maxDepth, BiPredicate<String, String> wanted) throws MalformedException {
        return find(new String(mail, StandardCharsets.ISO_8859_1), 0, maxDepth, wanted);
    }

    /** The top-level header fields of a message: unfolded, names lower-cased, the first occurrence wins. */
    public static Map<String, String> headers(byte[] mail) {
        String text = new String(mail, StandardCharsets.ISO_8859_1);
        return headers(text.substring(0, Math.max(0, headerEnd(text))));
    }

    private static byte[] find(String entity, int depth, int maxDepth, BiPredicate<String, String> wanted) throws MalformedException {
        if (depth > maxDepth) throw new MalformedException("MIME nesting deeper than " + maxDepth);
        int split = headerEnd(entity);
        Map<String, String> headers = headers(entity.substring(0, Math.max(0, split)));
        String body = split < 0 ? "" : entity.substring(split);
        String ct = headers.getOrDefault("content-type", "text/plain");
        String type = ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            String boundary = param(ct, "boundary");
            if (boundary == null || boundary.isEmpty()) throw new MalformedException("multipart without a boundary");
            String delimiter = "--" + boundary;
            // RFC 2046 §5.1.1: delimiters start a line
            int first = body.indexOf("\n" + delimiter);
            int idx = body.startsWith(delimiter) ? 0 : (first < 0 ? -1 : first + 1);
            while (idx >= 0) {
                int lineEnd = body.indexOf('\n', idx);
                if (body.startsWith(delimiter + "--", idx) || lineEnd < 0) return null; // close delimiter
                int next = body.indexOf("\n" + delimiter, lineEnd);
                // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
                int end = next < 0 ? body.length() : (next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next);
                byte[] found = find(body.substring(lineEnd + 1, Math.max(lineEnd + 1, end)), depth + 1, maxDepth, wanted);
                if (found != null) return found;
                idx = next < 0 ? -1 : next + 1;
            }
            return null;
        }
        String filename = param(headers.getOrDefault("content-disposition", ""), "filename");
        if (filename == null) filename = param(ct, "name");
        if (filename == null) filename = param(ct, "filename"); // seen in the wild on Content-Type
        if (!wanted.test(type, filename == null ? "" : filename.toLowerCase(Locale.ROOT))) return null;
        String cte = headers.getOrDefault("content-transfer-encoding", "7bit").strip().toLowerCase(Locale.ROOT);
        return switch (cte) {
            case "base64" -> {
                try {
                    yield Base64.getMimeDecoder().decode(body.strip().getBytes(StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException e) {
                    throw new MalformedException("bad base64 in the report part");
                }
            }
            case "quoted-printable" -> quotedPrintable(body);
            default -> body.getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private static int headerEnd(String e) {
        if (e.startsWith("\r\n")) return 2;
        if (e.startsWith("\n")) return 1;
        int crlf = e.indexOf("\r\n\r\n"), lf = e.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
        return lf >= 0 ? lf + 2 : -1;
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        String unfolded = block.replaceAll("\r?\n[ \t]", " ");
        for (String line : unfolded.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            out.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return out;
    }

    /** A parameter of a structured header field (RFC 2045 §5.1), quoted or not; RFC 2231 continuations are not handled. */
    static String param(String field, String name) {
        String[] parts = field.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq <= 0) continue;
            if (!p.substring(0, eq).strip().equalsIgnoreCase(name)) continue;
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            return v;
        }
        return null;
    }

    private static byte[] quotedPrintable(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = body.replaceAll("=\r?\n", "");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 2 < s.length()) {
                int h = Character.digit(s.charAt(i + 1), 16), l = Character.digit(s.charAt(i + 2), 16);
                if (h >= 0 && l >= 0) {
                    out.write(h * 16 + l);
                    i += 2;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }
}
