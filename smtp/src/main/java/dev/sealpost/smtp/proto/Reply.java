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

    @Override
    public String toString() {
        return code + " " + (enhanced == null ? "" : enhanced + " ") + lines.getFirst();
    }
}
