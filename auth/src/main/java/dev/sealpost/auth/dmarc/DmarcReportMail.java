package dev.sealpost.auth.dmarc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the aggregate report in a report mail (RFC 7489 §7.2.1.1): the first MIME part that is
 * gzip, zip or XML (by media type or file name), decoded and decompressed.
 *
 * <p>A deliberately small MIME reader for this one job (headers, multipart boundaries,
 * base64 / quoted-printable), bounded in size and depth; untrusted input.
 */
public final class DmarcReportMail {
    /** Largest report mail read. */
    public static final int MAX_MAIL_BYTES = 48 * 1024 * 1024;
    private static final int MAX_DEPTH = 8;

    private DmarcReportMail() {}

    /** The report XML carried by the mail (decompressed). */
    public static byte[] extractXml(InputStream mail) throws IOException {
        byte[] raw = DmarcReportXml.readBounded(mail, MAX_MAIL_BYTES);
        byte[] part = find(new String(raw, StandardCharsets.ISO_8859_1), 0);
        if (part == null) throw new IOException("no report attachment found");
        return DmarcReportXml.decompress(part);
    }

    /** The report carried by the mail, parsed. */
    public static DmarcAggregateReport parse(InputStream mail) throws IOException {
        return DmarcReportXml.parse(new java.io.ByteArrayInputStream(extractXml(mail)));
    }

    /** Searches an entity (headers + body, as ISO-8859-1 text so bytes survive) for the report part. */
    private static byte[] find(String entity, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("MIME nesting deeper than " + MAX_DEPTH);
        int split = headerEnd(entity);
        Map<String, String> headers = headers(entity.substring(0, Math.max(0, split)));
        String body = split < 0 ? "" : entity.substring(split);
        String ct = headers.getOrDefault("content-type", "text/plain");
        String type = ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            String boundary = param(ct, "boundary");
            if (boundary == null || boundary.isEmpty()) throw new IOException("multipart without a boundary");
            String delimiter = "--" + boundary;
            int pos = 0;
            while (true) {
                int start = body.indexOf(delimiter, pos);
                if (start < 0) return null;
                int lineEnd = body.indexOf('\n', start);
                if (lineEnd < 0 || body.startsWith(delimiter + "--", start)) return null;
                int next = body.indexOf("\n" + delimiter, lineEnd);
                int end = next < 0 ? body.length() : (next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next);
                byte[] found = find(body.substring(lineEnd + 1, Math.max(lineEnd + 1, end)), depth + 1);
                if (found != null) return found;
                if (next < 0) return null;
                pos = next + 1;
            }
        }
        String filename = param(headers.getOrDefault("content-disposition", ""), "filename");
        if (filename == null) filename = param(ct, "name");
        if (filename == null) filename = param(ct, "filename"); // seen in the wild on Content-Type
        String fn = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        boolean report = switch (type) {
            case "application/gzip", "application/x-gzip", "application/zip", "application/x-zip-compressed",
                 "application/xml", "text/xml" -> true;
            default -> fn.endsWith(".xml.gz") || fn.endsWith(".xml") || fn.endsWith(".zip") || fn.endsWith(".gz");
        };
        if (!report) return null;
        String cte = headers.getOrDefault("content-transfer-encoding", "7bit").strip().toLowerCase(Locale.ROOT);
        return switch (cte) {
            case "base64" -> Base64.getMimeDecoder().decode(body.strip().getBytes(StandardCharsets.ISO_8859_1));
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

    /** Unfolded header fields, names lower-cased; the first occurrence wins. */
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
