package dev.sealpost.filter.net;

import java.nio.charset.StandardCharsets;

/**
 * Parses clamd's reply to {@code zINSTREAM} (clamd(8), "INSTREAM"): {@code stream: OK},
 * {@code stream: NAME FOUND}, or a line ending in {@code ERROR} (for example
 * {@code INSTREAM size limit exceeded. ERROR}), terminated by NUL for the {@code z} form (by a
 * newline for the {@code n} form). The reply comes from another process over the network and is
 * treated as untrusted: anything else is {@link ScanResult.Unavailable}, never an exception, and
 * the names and reasons kept are bounded printable ASCII.
 */
public final class ClamdReply {
    /** Longest signature name or reason kept. */
    public static final int MAX_TEXT = 200;

    private ClamdReply() {}

    /** Parses {@code len} octets of a reply (the terminator may be included). */
    public static ScanResult parse(byte[] reply, int len) {
        return parse(new String(reply, 0, Math.min(len, reply.length), StandardCharsets.ISO_8859_1));
    }

    /** Parses one reply line. */
    public static ScanResult parse(String reply) {
        String t = reply;
        int nul = t.indexOf('\0');
        if (nul >= 0) t = t.substring(0, nul);
        t = t.strip();
        // With IDSESSION the reply is prefixed by a request number ("1: stream: OK"); we never use
        // sessions, but a leading number is harmless to drop.
        int colon = t.indexOf(": ");
        if (colon > 0 && t.substring(0, colon).chars().allMatch(Character::isDigit)) t = t.substring(colon + 2);
        if (t.startsWith("stream: ")) {
            String rest = t.substring("stream: ".length()).strip();
            if (rest.equals("OK")) return ScanResult.CLEAN;
            if (rest.equals("FOUND") || rest.endsWith(" FOUND")) {
                String name = printable(rest.substring(0, rest.length() - "FOUND".length()).strip());
                if (!name.isEmpty()) return new ScanResult.Infected(name);
                return new ScanResult.Unavailable("clamd reported a finding without a name");
            }
        }
        if (t.endsWith("ERROR")) return new ScanResult.Unavailable("clamd: " + printable(t));
        return new ScanResult.Unavailable("unexpected clamd reply: " + (t.isEmpty() ? "(empty)" : printable(t)));
    }

    /** Printable ASCII only (others become '?'), at most {@link #MAX_TEXT} characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && b.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
