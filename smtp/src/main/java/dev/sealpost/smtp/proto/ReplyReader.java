package dev.sealpost.smtp.proto;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SMTP replies (RFC 5321 §4.2) from a server, for a client. Bounded: a reply line may
 * hold at most {@code maxLineLength} octets and a reply at most {@code maxLines} lines;
 * beyond that, or on any syntax error, it throws {@link MalformedReplyException} (the
 * connection is then out of sync and must be closed).
 *
 * <p>Enhanced status codes (RFC 3463, RFC 2034 §3) are split off the text when the first
 * line's text starts with one whose class matches the reply code's first digit; the other
 * lines then lose the same prefix when they carry it.
 *
 * <p>Leniency (decided): a line ended by a bare LF is accepted as a line end (RFC 5321 §2.3.8
 * asks for CRLF; some servers get it wrong and nothing can be smuggled through a reply); reply
 * text that is not UTF-8 is decoded with replacement characters and control characters are
 * dropped, so that text from the peer is safe to log and to copy into a DSN.
 */
public final class ReplyReader {
    /** Thrown when the server's output is not a valid, bounded SMTP reply. */
    public static final class MalformedReplyException extends IOException {
        public MalformedReplyException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final int maxLineLength;
    private final int maxLines;
    private final byte[] buf = new byte[8192];
    private int pos, limit;

    /**
     * @param in            the connection's input (unbuffered is fine: this class buffers)
     * @param maxLineLength most octets of one reply line without CRLF (RFC 5321 §4.5.3.1.5
     *                      sets 512 with CRLF; we allow more)
     * @param maxLines      most lines in one reply (an EHLO reply has one per extension)
     */
    public ReplyReader(InputStream in, int maxLineLength, int maxLines) {
        if (maxLineLength < 5 || maxLines < 1) throw new IllegalArgumentException("limits too small");
        this.in = in;
        this.maxLineLength = maxLineLength;
        this.maxLines = maxLines;
    }

    /** Octets received but not yet consumed. After the 220 to STARTTLS this must be 0 (RFC 3207 §4.2). */
    public int buffered() {
        return limit - pos;
    }

    /**
     * Reads one complete reply.
     *
     * @throws EOFException            when the connection ends first
     * @throws MalformedReplyException when the reply is not valid or too big
     */
    public Reply read() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            byte[] line = readLine();
            if (line.length < 3) throw new MalformedReplyException("reply line too short");
            int c = 0;
            for (int i = 0; i < 3; i++) {
                int d = line[i] - '0';
                if (d < 0 || d > 9) throw new MalformedReplyException("reply code is not three digits");
                c = c * 10 + d;
            }
            // RFC 5321 §4.2: the first digit is 2..5 (1yz is unused in SMTP)
            if (c < 200 || c > 599) throw new MalformedReplyException("reply code out of range: " + c);
            if (code >= 0 && c != code) throw new MalformedReplyException("reply code changed inside a multi-line reply");
            code = c;
            boolean last;
            if (line.length == 3) {
                last = true; // RFC 5321 §4.2: "Reply-code [ SP textstring ] CRLF"
            } else if (line[3] == ' ') {
                last = true;
            } else if (line[3] == '-') {
                last = false;
            } else {
                throw new MalformedReplyException("reply code not followed by SP or '-'");
            }
            texts.add(line.length <= 4 ? "" : clean(line, 4));
            if (last) break;
            if (texts.size() >= maxLines) throw new MalformedReplyException("reply longer than " + maxLines + " lines");
        }
        return split(code, texts);
    }

    /** Splits off an enhanced status code (RFC 3463 §2: class.subject.detail, class matching the reply). */
    static Reply split(int code, List<String> texts) {
        String enhanced = enhancedPrefix(code, texts.getFirst());
        if (enhanced == null) return new Reply(code, null, texts);
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t.startsWith(enhanced + " ")) stripped.add(t.substring(enhanced.length() + 1));
            else if (t.equals(enhanced)) stripped.add("");
            else stripped.add(t);
        }
        return new Reply(code, enhanced, stripped);
    }

    private static String enhancedPrefix(int code, String text) {
        int sp = text.indexOf(' ');
        String token = sp < 0 ? text : text.substring(0, sp);
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return null;
        if (!parts[0].equals(String.valueOf(code / 100))) return null;
        // RFC 3463 §2: subject and detail are 1-3 digits
        for (int i = 1; i < 3; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3) return null;
            for (char ch : parts[i].toCharArray()) if (ch < '0' || ch > '9') return null;
        }
        return token;
    }

    private static String clean(byte[] line, int from) {
        String s = new String(line, from, line.length - from, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\t') sb.append(' ');
            else if (ch >= 0x20 && ch != 0x7f) sb.append(ch);
        }
        return sb.toString();
    }

    private byte[] readLine() throws IOException {
        byte[] line = new byte[128];
        int len = 0;
        while (true) {
            if (pos >= limit) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) throw new EOFException("connection closed by the server");
                pos = 0;
                limit = n;
            }
            byte b = buf[pos++];
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') len--;
                return java.util.Arrays.copyOf(line, len);
            }
            if (len > maxLineLength) throw new MalformedReplyException("reply line longer than " + maxLineLength + " octets");
            if (len == line.length) line = java.util.Arrays.copyOf(line, Math.min(line.length * 2, maxLineLength + 2));
            line[len++] = b;
        }
    }
}
