package dev.sealpost.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The filter's verdict as the MX hands it to local delivery: one header field, {@value #FIELD},
 * which the MX adds above its Received field and removes from every message that arrives with
 * one (so a copy in a stored message is always ours). Local delivery reads it to hold a
 * quarantined message, set {@code $Phishing}, and give Sieve's spamtest its score.
 *
 * <pre>X-Sealpost-Filter: quarantine; score=14.0; required=6.0; phishing=no; hits=BASE64</pre>
 *
 * {@code hits} is the verdict's explanation (one line per hit: name, weight, detail), base64 of
 * UTF-8: the details quote attacker-chosen file names and hosts, which must not shape a header.
 *
 * @param action   {@code inbox}, {@code junk} or {@code quarantine}
 * @param score    the pipeline's score
 * @param required the junk threshold
 * @param phishing a lookalike, display-name spoof or phishing link hit: {@code $Phishing} at delivery
 * @param hits     the explanation, one line per hit
 */
public record FilterMark(String action, double score, double required, boolean phishing, String hits) {
    /** The header field name. */
    public static final String FIELD = "X-Sealpost-Filter";
    /** The IMAP keyword set on messages with a phishing-like hit. */
    public static final String PHISHING_KEYWORD = "$Phishing";
    /** Most octets of header read looking for the field. */
    private static final int MAX_HEADER = 64 * 1024;
    /** Most octets of explanation carried. */
    private static final int MAX_HITS = 2000;

    public FilterMark {
        action = action.toLowerCase(Locale.ROOT);
        hits = hits == null ? "" : hits;
    }

    public boolean quarantined() {
        return action.equals("quarantine");
    }

    public boolean junk() {
        return action.equals("junk");
    }

    /** The complete field, folded, ending in CRLF. */
    public String toField() {
        byte[] h = hits.getBytes(StandardCharsets.UTF_8);
        if (h.length > MAX_HITS) h = java.util.Arrays.copyOf(h, MAX_HITS);
        String b64 = Base64.getEncoder().encodeToString(h);
        StringBuilder sb = new StringBuilder(FIELD).append(": ").append(action)
                .append("; score=").append(num(score)).append("; required=").append(num(required))
                .append("; phishing=").append(phishing ? "yes" : "no").append(";\r\n\thits=");
        // RFC 5322 §2.1.1: lines of at most 78 characters; base64 has no white space, so the value
        // is continued on folded lines and white space is dropped when it is read back
        for (int i = 0; i < b64.length(); i += 70) {
            if (i > 0) sb.append("\r\n\t");
            sb.append(b64, i, Math.min(b64.length(), i + 70));
        }
        return sb.append("\r\n").toString();
    }

    private static String num(double d) {
        return java.math.BigDecimal.valueOf(Math.round(d * 100.0) / 100.0).stripTrailingZeros().toPlainString();
    }

    /** Parses a field value (unfolded or not); empty when it is not one of ours. */
    public static Optional<FilterMark> parse(String value) {
        String action = null, hits = "";
        double score = 0, required = 0;
        boolean phishing = false;
        String[] parts = value.split(";");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (i == 0) {
                action = p.toLowerCase(Locale.ROOT);
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) continue;
            String k = p.substring(0, eq).strip().toLowerCase(Locale.ROOT), v = p.substring(eq + 1).strip();
            try {
                switch (k) {
                    case "score" -> score = Double.parseDouble(v);
                    case "required" -> required = Double.parseDouble(v);
                    case "phishing" -> phishing = v.equalsIgnoreCase("yes");
                    case "hits" -> hits = new String(Base64.getDecoder().decode(v.replaceAll("\\s+", "")), StandardCharsets.UTF_8);
                    default -> { }
                }
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (action == null || !List.of("inbox", "junk", "quarantine").contains(action)) return Optional.empty();
        return Optional.of(new FilterMark(action, score, required, phishing, hits));
    }

    /**
     * Reads the top of a stored message for our field: the fields above the first Received field
     * (ours: the MX puts its fields above its own Received), at most 64 KiB.
     */
    /**
     * The message without our field (where {@link #read} looks for it: above the first Received
     * field), for a held message that is released and sent on: local delivery must not hold it
     * again, and the verdict is not for other servers to read. Other octets are kept as they are.
     */
    public static byte[] strip(byte[] message) {
        int pos = 0;
        int limit = Math.min(message.length, MAX_HEADER);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length);
        boolean dropping = false;
        while (pos < limit) {
            int end = pos;
            while (end < message.length && message[end] != '\n') end++;
            int next = Math.min(message.length, end + 1);
            int len = end - pos - (end > pos && message[end - 1] == '\r' ? 1 : 0);
            if (len == 0) break; // end of the header section
            String start = new String(message, pos, Math.min(len, FIELD.length() + 1), StandardCharsets.ISO_8859_1);
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (!continuation) {
                if (start.regionMatches(true, 0, "Received:", 0, 9)) break;
                dropping = start.equalsIgnoreCase(FIELD + ":");
            }
            if (!dropping) out.write(message, pos, next - pos);
            pos = next;
        }
        out.write(message, pos, message.length - pos);
        return out.toByteArray();
    }

    public static Optional<FilterMark> read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(MAX_HEADER);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        List<String> fields = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) break; // end of the header section
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && cur != null) {
                cur.append(line); // RFC 5322 §2.2.3 unfolding
                continue;
            }
            if (cur != null) fields.add(cur.toString());
            cur = new StringBuilder(line);
            if (line.regionMatches(true, 0, "Received:", 0, 9)) break;
        }
        if (cur != null) fields.add(cur.toString());
        for (String f : fields) {
            if (f.regionMatches(true, 0, "Received:", 0, 9)) break;
            if (f.regionMatches(true, 0, FIELD + ":", 0, FIELD.length() + 1)) return parse(f.substring(FIELD.length() + 1));
        }
        return Optional.empty();
    }
}
