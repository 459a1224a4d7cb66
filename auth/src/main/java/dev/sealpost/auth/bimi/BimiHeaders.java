package dev.sealpost.auth.bimi;

import java.net.URI;
import java.util.List;

/**
 * The receiver-made BIMI header fields (BIMI draft §6.2 BIMI-Location, §6.3 BIMI-Indicator) and
 * the rule that incoming ones are removed (§8.8).
 */
public final class BimiHeaders {
    /** §6.2. */
    public static final String LOCATION = "BIMI-Location";
    /** §6.3. */
    public static final String INDICATOR = "BIMI-Indicator";
    /**
     * Fields a receiver removes from every incoming message, whatever the BIMI result (§8.8:
     * "if a BIMI-Location or a BIMI-Indicator header is already present in a message it MUST be
     * either removed or renamed"; §7.4: "The BIMI-Location header MUST NOT be set by email senders").
     */
    public static final List<String> REMOVE_FROM_INCOMING = List.of(LOCATION, INDICATOR);

    /** Longest line of a folded BIMI-Indicator field, without CRLF (RFC 5322 §2.1.1 SHOULD: 78). */
    static final int LINE = 76;

    private BimiHeaders() {}

    /** True when an incoming field of this name must be removed before we add ours (§8.8). */
    public static boolean mustRemove(String fieldName) {
        for (String n : REMOVE_FROM_INCOMING) if (n.equalsIgnoreCase(fieldName.strip())) return true;
        return false;
    }

    /** {@code BIMI-Location: v=BIMI1; l=<location>[; a=<evidence>]} with CRLF (§6.2); {@code a=} only for verified evidence. */
    public static String location(URI location, URI verifiedEvidence) {
        StringBuilder b = new StringBuilder(LOCATION).append(": v=BIMI1;\r\n l=").append(location.toASCIIString());
        if (verifiedEvidence != null) b.append(";\r\n a=").append(verifiedEvidence.toASCIIString());
        return b.append("\r\n").toString();
    }

    /** {@code BIMI-Indicator: <base64>} folded within {@value #LINE} characters a line, with CRLF (§6.3, §8.10). */
    public static String indicator(String base64) {
        StringBuilder b = new StringBuilder(INDICATOR).append(':');
        int pos = 0;
        int room = LINE - b.length() - 1;
        while (pos < base64.length()) {
            int end = Math.min(base64.length(), pos + room);
            b.append(pos == 0 ? " " : "\r\n ").append(base64, pos, end);
            pos = end;
            room = LINE - 1;
        }
        return b.append("\r\n").toString();
    }
}
