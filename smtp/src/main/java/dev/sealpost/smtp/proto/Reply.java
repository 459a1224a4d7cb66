package dev.sealpost.smtp.proto;

import java.util.List;

/**
 * One SMTP reply (RFC 5321 §4.2) with an optional enhanced status code (RFC 3463, RFC 2034).
 *
 * @param code     the three-digit reply code
 * @param enhanced the enhanced status code such as {@code 2.1.0}, or {@code null}
 * @param lines    the text lines (at least one)
 */
public record Reply(int code, String enhanced, List<String> lines) {
    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("no reply text");
    }

    public Reply(int code, String enhanced, String text) {
        this(code, enhanced, List.of(text));
    }

    public boolean positive() { return code < 400; }

    /** A single-line reply with an enhanced status code. */
    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, text);
    }

    /**
     * The reply as sent on the wire: {@code code-text} continuation lines and a final
     * {@code code SP text} line, each ending in CRLF (RFC 5321 §4.2.1). The enhanced status code
     * prefixes every line's text when {@code withEnhanced} is set (RFC 2034 §3: only after the
     * client used EHLO). Control characters in the text (CR, LF, NUL...) are replaced by spaces,
     * so that text coming from a handler can never inject a reply line.
     */
    public byte[] encode(boolean withEnhanced) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (withEnhanced && enhanced != null) sb.append(enhanced).append(' ');
            String text = lines.get(i);
            for (int j = 0; j < text.length(); j++) {
                char c = text.charAt(j);
                sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + " " + (enhanced == null ? "" : enhanced + " ") + lines.getFirst();
    }
}
