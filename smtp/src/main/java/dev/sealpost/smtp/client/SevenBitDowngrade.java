package dev.sealpost.smtp.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Converts an 8-bit MIME message to 7 bit for a server without 8BITMIME (RFC 6152 §3: the
 * client may convert the message "in accordance with RFC 2045", or return it). Text parts with
 * 8-bit octets become quoted-printable (RFC 2045 §6.7), other 8-bit leaf parts base64
 * (RFC 2045 §6.8); multiparts are rebuilt part by part with their boundaries (RFC 2046 §5.1),
 * message/rfc822 parts are converted inside (RFC 2046 §5.2.1 forbids encoding them), and each
 * converted entity's Content-Transfer-Encoding is rewritten. Parts that are 7-bit clean are
 * left as they are (only a wrong "8bit" label becomes "7bit").
 *
 * <p>It refuses (the caller bounces with 5.6.3) when it cannot convert correctly: 8-bit octets
 * in a header field (they would need RFC 2047 and their charset is unknown), a message without
 * MIME-Version, a multipart without boundary or with a transfer encoding (RFC 2045 §6.4),
 * 8-bit octets in a preamble, epilogue or an already encoded part, nesting deeper than
 * {@link #MAX_DEPTH}.
 *
 * <p>Works on the whole message in memory as ISO-8859-1 text, so that each char is one octet.
 * Line ends are made CRLF first (RFC 5321 §2.3.8).
 */
final class SevenBitDowngrade {
    static final int MAX_DEPTH = 20;
    /** RFC 5322 §2.1.1 / RFC 5321 §4.5.3.1.6: 998 octets per line plus CRLF. */
    private static final int MAX_LINE = 998;

    private SevenBitDowngrade() {}

    /** The converted message, or why it cannot be converted. */
    sealed interface Result permits Converted, Impossible {}

    /** @param changed false when the message was 7-bit clean already (then {@code content} is the input with CRLF ends) */
    record Converted(byte[] content, boolean changed) implements Result {}

    record Impossible(String reason) implements Result {}

    private static final class Refused extends Exception {
        Refused(String m) {
            super(m, null, false, false);
        }
    }

    static Result convert(byte[] message) {
        String s = crlf(new String(message, StandardCharsets.ISO_8859_1));
        try {
            boolean[] changed = {false};
            String out = entity(s, true, "text/plain", 0, changed);
            return new Converted(out.getBytes(StandardCharsets.ISO_8859_1), changed[0]);
        } catch (Refused r) {
            return new Impossible(r.getMessage());
        }
    }

    private static String crlf(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 64);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                sb.append("\r\n");
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
            } else if (c == '\n') {
                sb.append("\r\n");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One entity: header block, blank line, body. */
    private static String entity(String text, boolean top, String defaultType, int depth, boolean[] changed) throws Refused {
        if (depth > MAX_DEPTH) throw new Refused("MIME nesting deeper than " + MAX_DEPTH);
        String headers, body;
        boolean separator;
        if (text.startsWith("\r\n")) {
            headers = "";
            body = text.substring(2);
            separator = true;
        } else {
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                headers = text;
                body = "";
                separator = false;
            } else {
                headers = text.substring(0, end + 2);
                body = text.substring(end + 4);
                separator = true;
            }
        }
        if (!sevenBit(headers)) throw new Refused("8-bit octets in a header field");
        List<String> fields = fields(headers);
        String ctValue = value(fields, "content-type");
        String type = defaultType;
        String boundary = null;
        if (ctValue != null) {
            List<String> parts = splitParams(ctValue);
            String t = parts.getFirst().strip().toLowerCase(Locale.ROOT);
            if (t.indexOf('/') > 0) type = t; // RFC 2045 §5.2: an invalid type means text/plain
            else type = "text/plain";
            for (int i = 1; i < parts.size(); i++) {
                String p = parts.get(i).strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) boundary = unquote(p.substring(eq + 1).strip());
            }
        }
        String cteValue = value(fields, "content-transfer-encoding");
        String cte = cteValue == null ? "7bit" : cteValue.strip().toLowerCase(Locale.ROOT);
        boolean identity = cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary");

        if (top && value(fields, "mime-version") == null) {
            if (needsEncoding(body)) throw new Refused("8-bit content in a message without MIME-Version");
            return text;
        }

        String newBody;
        String newCte = null;
        if (type.startsWith("multipart/")) {
            if (boundary == null || boundary.isEmpty() || boundary.length() > 70) throw new Refused("multipart without a valid boundary");
            // RFC 2045 §6.4: composite types take no encoding other than 7bit, 8bit or binary
            if (!identity) throw new Refused("multipart with Content-Transfer-Encoding " + cte);
            String partDefault = type.equals("multipart/digest") ? "message/rfc822" : "text/plain"; // RFC 2046 §5.1.5
            newBody = multipart(body, boundary, partDefault, depth, changed);
            if (!cte.equals("7bit")) newCte = "7bit";
        } else if (type.equals("message/rfc822")) {
            if (!identity) {
                if (needsEncoding(body)) throw new Refused("encoded message/rfc822 part with 8-bit octets");
                newBody = body;
            } else {
                newBody = entity(body, true, "text/plain", depth + 1, changed);
                if (!cte.equals("7bit")) newCte = "7bit";
            }
        } else if (!needsEncoding(body)) {
            newBody = body;
            if (cte.equals("8bit") || cte.equals("binary")) newCte = "7bit";
        } else {
            if (!identity) throw new Refused("part with Content-Transfer-Encoding " + cte + " holds 8-bit octets");
            if (type.startsWith("text/")) {
                newBody = quotedPrintable(body);
                newCte = "quoted-printable";
            } else {
                newBody = base64(body) + (top ? "\r\n" : "");
                newCte = "base64";
            }
            changed[0] = true;
        }
        if (newCte == null) return headers + (separator ? "\r\n" : "") + newBody;
        changed[0] = true;
        return withCte(fields, newCte) + "\r\n" + newBody;
    }

    private static String multipart(String body, String boundary, String partDefault, int depth, boolean[] changed) throws Refused {
        String dash = "--" + boundary;
        StringBuilder out = new StringBuilder(body.length() + 1024);
        int i = 0;
        int partStart = -1; // content start of the current part, -1 = in the preamble
        boolean closed = false;
        while (i <= body.length()) {
            int eol = body.indexOf("\r\n", i);
            int lineEnd = eol < 0 ? body.length() : eol;
            String line = body.substring(i, lineEnd);
            String trimmed = stripTrailingWhite(line);
            boolean close = trimmed.equals(dash + "--");
            boolean delimiter = close || trimmed.equals(dash);
            if (delimiter) {
                if (partStart < 0) {
                    String preamble = body.substring(0, i);
                    if (!sevenBit(preamble)) throw new Refused("8-bit octets in a multipart preamble");
                    out.append(preamble);
                } else {
                    // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter
                    int contentEnd = Math.max(partStart, i - 2);
                    out.append(entity(body.substring(partStart, contentEnd), false, partDefault, depth + 1, changed));
                    if (i - 2 >= partStart) out.append("\r\n");
                }
                out.append(line);
                if (close) {
                    String epilogue = body.substring(lineEnd);
                    if (!sevenBit(epilogue)) throw new Refused("8-bit octets in a multipart epilogue");
                    out.append(epilogue);
                    closed = true;
                    break;
                }
                if (eol < 0) {
                    partStart = body.length();
                    break;
                }
                out.append("\r\n");
                partStart = eol + 2;
            }
            if (eol < 0) break;
            i = eol + 2;
        }
        if (partStart < 0) throw new Refused("multipart without any boundary line");
        if (!closed) { // lenient: a missing close delimiter ends the last part at the end of the body
            out.append(entity(body.substring(partStart), false, partDefault, depth + 1, changed));
        }
        return out.toString();
    }

    private static String stripTrailingWhite(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(0, e);
    }

    private static boolean sevenBit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7f || c == 0) return false;
        }
        return true;
    }

    /** 8-bit octets, NUL, or a line longer than 998 octets (RFC 5322 §2.1.1). */
    static boolean needsEncoding(String s) {
        int lineLen = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7f || c == 0) return true;
            if (c == '\n') lineLen = 0;
            else if (c != '\r' && ++lineLen > MAX_LINE) return true;
        }
        return false;
    }

    /** Header fields, each with its continuation lines and CRLFs. */
    private static List<String> fields(String headers) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < headers.length()) {
            int eol = headers.indexOf("\r\n", i);
            int next = eol < 0 ? headers.length() : eol + 2;
            String line = headers.substring(i, next);
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && !out.isEmpty()) out.set(out.size() - 1, out.getLast() + line);
            else out.add(line);
            i = next;
        }
        return out;
    }

    private static String name(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    }

    private static String value(List<String> fields, String name) {
        for (String f : fields) {
            if (name(f).equals(name)) return f.substring(f.indexOf(':') + 1).replace("\r\n", "");
        }
        return null;
    }

    private static String withCte(List<String> fields, String cte) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) if (!name(f).equals("content-transfer-encoding")) sb.append(f.endsWith("\r\n") ? f : f + "\r\n");
        sb.append("Content-Transfer-Encoding: ").append(cte).append("\r\n");
        return sb.toString();
    }

    /** Splits a header value at ";" outside quoted strings and comments. */
    private static List<String> splitParams(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < v.length()) cur.append(v.charAt(++i));
                else if (c == '"') quoted = false;
            } else if (comment > 0) {
                if (c == '(') comment++;
                else if (c == ')') comment--;
            } else if (c == '"') {
                quoted = true;
                cur.append(c);
            } else if (c == '(') {
                comment++;
            } else if (c == ';') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() - 1) c = s.charAt(++i);
                sb.append(c);
            }
            return sb.toString();
        }
        return s;
    }

    /**
     * RFC 2045 §6.7: line breaks stay hard line breaks (CRLF); "=", non-printable and 8-bit
     * octets become =XX; a space or tab at the end of a line is encoded; encoded lines are at
     * most 76 characters, continued with soft line breaks.
     */
    static String quotedPrintable(String body) {
        StringBuilder out = new StringBuilder(body.length() * 3 / 2);
        int i = 0;
        while (i <= body.length()) {
            int eol = body.indexOf("\r\n", i);
            String line = body.substring(i, eol < 0 ? body.length() : eol);
            int col = 0;
            for (int k = 0; k < line.length(); k++) {
                char c = line.charAt(k);
                boolean last = k == line.length() - 1;
                String tok;
                if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) tok = String.valueOf(c);
                else tok = String.format("=%02X", (int) c & 0xff);
                if (col + tok.length() > 75) { // room for the "=" of a soft line break: 76 in all
                    out.append("=\r\n");
                    col = 0;
                }
                out.append(tok);
                col += tok.length();
            }
            if (eol < 0) break;
            out.append("\r\n");
            i = eol + 2;
        }
        return out.toString();
    }

    /** RFC 2045 §6.8: base64 in lines of 76 characters. */
    static String base64(String body) {
        return Base64.getMimeEncoder(76, new byte[]{'\r', '\n'}).encodeToString(body.getBytes(StandardCharsets.ISO_8859_1));
    }
}
