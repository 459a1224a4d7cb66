package dev.sealpost.it.imaptest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of an mbox file as imaptest appends them: split on {@code From } lines that carry
 * a valid date, every line ending rewritten to CRLF (the blank line before the next From line
 * stays in the message, nothing is unescaped), the From line's date as INTERNALDATE; reading
 * wraps around to the first message after the last.
 */
final class MboxSource {
    /** One message: its octets (ISO-8859-1 chars) and its date in IMAP date-time syntax. */
    record Message(String data, String internalDate) {}

    // "From sender Www Mmm dd hh:mm:ss yyyy [+zzzz]" (asctime, optional numeric zone)
    private static final Pattern FROM = Pattern.compile(
            "From \\S+\\s+(?:\\w{3})\\s+(\\w{3})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s+(\\d{4})(?:\\s+([+-]\\d{4}))?.*");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    private final List<Message> messages;
    private int next;

    MboxSource(Path mbox) throws IOException {
        this.messages = read(mbox);
    }

    MboxSource(List<Message> messages) {
        this.messages = List.copyOf(messages);
    }

    /** True once every message was handed out at least once (imaptest's "messages: all" ends here). */
    boolean eof() {
        return next >= messages.size();
    }

    Message next() {
        if (next >= messages.size()) next = 0;
        return messages.get(next++);
    }

    int size() {
        return messages.size();
    }

    static List<Message> read(Path mbox) throws IOException {
        String text = new String(Files.readAllBytes(mbox), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast(); // the final LF ends a line
        List<Message> out = new ArrayList<>();
        String date = null;
        StringBuilder cur = null;
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String d = fromDate(line);
            if (d != null && (cur == null || cur.length() > 0)) {
                if (cur != null) out.add(new Message(cur.toString(), date));
                cur = new StringBuilder();
                date = d;
                continue;
            }
            if (d != null) continue; // From line right after a From line: the empty message is skipped
            if (cur == null) throw new IOException("Not a valid mbox file: " + mbox);
            cur.append(line).append("\r\n");
        }
        if (cur == null || cur.isEmpty()) throw new IOException("mbox file is empty or ends with a From line: " + mbox);
        out.add(new Message(cur.toString(), date));
        return out;
    }

    /** The IMAP date-time of a valid mbox From line, else null. A line without a zone is taken as UTC. */
    static String fromDate(String line) {
        if (!line.startsWith("From ")) return null;
        Matcher m = FROM.matcher(line);
        if (!m.matches()) return null;
        int month = MONTHS.indexOf(m.group(1).toLowerCase(Locale.ROOT));
        if (month < 0) return null;
        String mon = m.group(1).substring(0, 1).toUpperCase(Locale.ROOT) + m.group(1).substring(1).toLowerCase(Locale.ROOT);
        String sec = m.group(5) == null ? "00" : m.group(5);
        String zone = m.group(7) == null ? "+0000" : m.group(7);
        return String.format(Locale.ROOT, "%02d-%s-%s %02d:%s:%s %s",
                Integer.parseInt(m.group(2)), mon, m.group(6), Integer.parseInt(m.group(3)), m.group(4), sec, zone);
    }
}
