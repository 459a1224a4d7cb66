package dev.sealpost.delivery;

import dev.sealpost.sieve.run.Action;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The mailto notification method (RFC 5436): checks whether a notification may be sent about a
 * message and builds the notification message that goes out through the spool and the outbound
 * queue with a null envelope sender.
 */
final class Notifications {
    /** Notifications sent for one message and account; more are recorded as errors. */
    static final int MAX_PER_MESSAGE = 3;
    /** Recipients of one mailto URI; a URI with more is not sent (recorded as an error). */
    static final int MAX_RECIPIENTS = 8;
    /** Longest :message or subject taken, in characters. */
    private static final int MAX_SUBJECT = 200;
    /** Longest body taken from the URI's "body" header, in characters. */
    private static final int MAX_BODY = 8 * 1024;

    private Notifications() {}

    /**
     * Why no notification may be sent about this message, or null when one may (RFC 3834 §2, as
     * for vacation: RFC 5436 §2.7 forbids notifying about automatic mail; the interpreter already
     * drops those with {@code Auto-Submitted} other than "no", checked again here): a bounce or a
     * message from a mailer daemon, list mail, bulk mail.
     */
    static String suppressed(String mailFrom, List<String> autoSubmitted, List<String> precedence, boolean listHeaders) {
        for (String v : autoSubmitted) {
            if (!v.strip().toLowerCase(Locale.ROOT).startsWith("no")) return "Auto-Submitted: " + v.strip();
        }
        if (mailFrom == null || mailFrom.isEmpty()) return "null envelope sender (a bounce)";
        String local = mailFrom.contains("@") ? mailFrom.substring(0, mailFrom.lastIndexOf('@')) : mailFrom;
        String l = local.toLowerCase(Locale.ROOT);
        if (l.equals("mailer-daemon") || l.equals("postmaster") || l.endsWith("-request") || l.startsWith("owner-")) {
            return "sender " + mailFrom + " is a mailer or list address";
        }
        if (listHeaders) return "list mail (List-* header field)";
        for (String p : precedence) {
            String v = p.strip().toLowerCase(Locale.ROOT);
            if (v.equals("bulk") || v.equals("list") || v.equals("junk")) return "Precedence: " + v;
        }
        return null;
    }

    /**
     * The notification message (RFC 5436 §2.7): From the {@code :from} address or else the
     * account's; To the URI's recipients; the subject from the URI's "subject" header, else
     * {@code :message}, else a summary of the original; {@code Auto-Submitted: auto-notified}; the
     * importance as an {@code Importance} field (RFC 5436 §2.4); the body from the URI's "body"
     * header, else the message text and the original's sender and subject. Other URI header fields
     * are ignored (RFC 5436 §2.7 lets none be trusted).
     */
    static byte[] build(Action.Notify n, List<String> to, String owner, String originalFrom, String originalSubject,
                        ZonedDateTime now) {
        String from = n.from() != null ? n.from().strip() : owner;
        String domain = Forwarder.domainOf(from);
        String subject = n.uriHeader("subject");
        if (subject == null || subject.isBlank()) subject = n.message();
        if (subject == null || subject.isBlank()) subject = "New mail from " + oneLine(originalFrom) + ": " + oneLine(originalSubject);
        subject = cut(oneLine(subject), MAX_SUBJECT);
        String body = n.uriHeader("body");
        if (body == null || body.isBlank()) {
            body = (n.message() == null || n.message().isBlank() ? "You have new mail." : n.message()) + "\r\n\r\n"
                    + "From: " + oneLine(originalFrom) + "\r\n" + "Subject: " + oneLine(originalSubject) + "\r\n";
        }
        body = cut(body, MAX_BODY).replaceAll("\r?\n", "\r\n");
        StringBuilder m = new StringBuilder();
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(domain == null ? "localhost" : domain).append(">\r\n");
        m.append("Date: ").append(now.format(DateTimeFormatter.RFC_1123_DATE_TIME)).append("\r\n");
        m.append("From: ").append(HeaderEdits.encode(from)).append("\r\n");
        m.append(HeaderEdits.fold("To: " + String.join(", ", to)));
        m.append(HeaderEdits.fold("Subject: " + HeaderEdits.encode(subject)));
        m.append("Auto-Submitted: auto-notified\r\n"); // RFC 5436 §2.7, RFC 3834 §5
        String importance = switch (n.importance() == null ? "2" : n.importance()) {
            case "1" -> "high";
            case "3" -> "low";
            default -> "normal";
        };
        m.append("Importance: ").append(importance).append("\r\n"); // RFC 5436 §2.4
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\n");
        m.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        m.append(body);
        if (!body.endsWith("\r\n")) m.append("\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\x00-\\x1f\\x7f]+", " ").strip();
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) return s;
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }
}
