package dev.sealpost.queue;

import dev.sealpost.store.OutboundQueue.Delivery;
import dev.sealpost.store.OutboundQueue.DsnAction;
import dev.sealpost.store.OutboundQueue.QueueMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds delivery status notifications (RFC 3464) in a {@code multipart/report;
 * report-type=delivery-status} (RFC 6522): a human-readable part, the machine-readable
 * {@code message/delivery-status} part and the original message (RET=FULL) or its header
 * ({@code text/rfc822-headers}, RET=HDRS and every non-failure report, RFC 3461 §4.3).
 * For SMTPUTF8 originals the RFC 6533 types ({@code message/global-delivery-status},
 * {@code message/global}) are used. Every text that came from outside (replies, ENVID, ORCPT)
 * is stripped of control characters, so it cannot add header fields or lines.
 */
public final class DsnBuilder {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final Pattern CODE = Pattern.compile("^([245])\\d\\d\\b");
    /** Largest header section returned. */
    static final int MAX_HEADERS = 256 * 1024;

    private DsnBuilder() {}

    /** The original's content, opened on demand. */
    @FunctionalInterface
    public interface Original {
        InputStream open() throws IOException;
    }

    /**
     * One report.
     *
     * @param reportingMta    our host name
     * @param action          the action of every recipient in this report
     * @param willRetryUntil  for {@code delayed}: when we give up
     * @param maxReturnedSize the original is returned whole only up to this size (else its header)
     */
    public record Report(String reportingMta, QueueMessage message, List<Delivery> deliveries, DsnAction action, Instant now,
                         Instant willRetryUntil, long maxReturnedSize) {}

    /** The subject line for an action. */
    static String subject(DsnAction a) {
        return switch (a) {
            case FAILED -> "Undelivered Mail Returned to Sender";
            case DELAYED -> "Delayed Mail (still being retried)";
            case DELIVERED -> "Successful Mail Delivery Report";
            case RELAYED -> "Mail Relayed: Delivery Report";
            case EXPANDED -> "Mail Expanded: Delivery Report";
        };
    }

    /** True when the report returns the whole original, false for the header only. */
    static boolean returnsFull(Report r) {
        QueueMessage m = r.message();
        if (r.action() != DsnAction.FAILED) return false; // RFC 3461 §4.3: only failures carry the content
        if ("HDRS".equalsIgnoreCase(m.dsnRet())) return false;
        if (m.requireTls()) return false; // RFC 8689 §5: a non-delivery report of a REQUIRETLS message leaves its content out
        if ("BINARYMIME".equalsIgnoreCase(m.bodyType())) return false; // cannot go inside a MIME part as it is
        return m.blob().size() <= r.maxReturnedSize();
    }

    public static byte[] build(Report r, Original original) throws IOException {
        QueueMessage m = r.message();
        boolean global = m.smtpUtf8();
        String boundary = "=_sealpost_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String date = DATE.format(r.now());
        StringBuilder h = new StringBuilder();
        h.append("From: Mail Delivery System <MAILER-DAEMON@").append(r.reportingMta()).append(">\r\n");
        h.append("To: <").append(clean(m.mailFrom())).append(">\r\n");
        h.append("Subject: ").append(subject(r.action())).append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("Message-ID: <dsn.").append(m.id()).append('.').append(r.action().wire()).append('.')
                .append(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())).append('@').append(r.reportingMta()).append(">\r\n");
        h.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=").append(global ? "global-delivery-status" : "delivery-status")
                .append(";\r\n\tboundary=\"").append(boundary).append("\"\r\n\r\n");
        h.append("This is a MIME-encapsulated delivery status notification (RFC 3464).\r\n\r\n");
        // ---- part 1: for humans
        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        h.append(human(r)).append("\r\n");
        // ---- part 2: RFC 3464 §2 delivery-status
        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Type: message/").append(global ? "global-delivery-status" : "delivery-status").append("\r\n\r\n");
        h.append("Reporting-MTA: dns; ").append(r.reportingMta()).append("\r\n"); // §2.2.2
        if (m.dsnEnvid() != null) h.append("Original-Envelope-Id: ").append(clean(m.dsnEnvid())).append("\r\n"); // §2.2.1
        h.append("Arrival-Date: ").append(DATE.format(m.receivedAt())).append("\r\n"); // §2.2.5
        for (Delivery d : r.deliveries()) {
            h.append("\r\n");
            if (d.orcpt() != null) h.append("Original-Recipient: ").append(clean(d.orcpt())).append("\r\n"); // §2.3.1
            h.append("Final-Recipient: rfc822; ").append(clean(d.address())).append("\r\n"); // §2.3.2
            h.append("Action: ").append(r.action().wire()).append("\r\n"); // §2.3.3
            h.append("Status: ").append(status(r.action(), d.lastReply())).append("\r\n"); // §2.3.4
            if (d.remoteMta() != null) {
                h.append("Remote-MTA: dns; ").append(clean(d.remoteMta())).append("\r\n"); // §2.3.5
                if (d.lastReply() != null) h.append("Diagnostic-Code: smtp; ").append(clean(d.lastReply())).append("\r\n"); // §2.3.6
            } else if (d.lastReply() != null && r.action() != DsnAction.DELIVERED && r.action() != DsnAction.RELAYED) {
                // our own finding (DNS, connection, policy): RFC 3464 §2.3.6 allows a diagnostic for it as well
                h.append("Diagnostic-Code: X-Sealpost; ").append(clean(d.lastReply())).append("\r\n");
            }
            Instant last = d.lastAttemptAt() != null ? d.lastAttemptAt() : d.doneAt();
            if (last != null) h.append("Last-Attempt-Date: ").append(DATE.format(last)).append("\r\n"); // §2.3.7
            if (r.action() == DsnAction.DELAYED && r.willRetryUntil() != null) {
                h.append("Will-Retry-Until: ").append(DATE.format(r.willRetryUntil())).append("\r\n"); // §2.3.9
            }
        }
        h.append("\r\n");
        // ---- part 3: the original or its header
        boolean full = returnsFull(r);
        h.append("--").append(boundary).append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body;
        try (InputStream in = original.open()) {
            body = full ? in.readAllBytes() : StoredMessage.headers(in, MAX_HEADERS);
        }
        boolean eightBit = false;
        for (byte b : body) if (b < 0) { eightBit = true; break; }
        if (full) {
            h.append("Content-Type: message/").append(global ? "global" : "rfc822").append("\r\n");
        } else {
            h.append("Content-Type: ").append(global ? "message/global-headers" : "text/rfc822-headers").append("\r\n");
        }
        if (eightBit) h.append("Content-Transfer-Encoding: 8bit\r\n");
        h.append("Content-Description: ").append(full ? "Undelivered message" : "Message headers").append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        if (body.length > 0 && body[body.length - 1] != '\n') out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** True when the report has octets above 127 (the DSN is then sent as 8BITMIME). */
    static boolean eightBit(byte[] dsn) {
        for (byte b : dsn) if (b < 0) return true;
        return false;
    }

    private static String human(Report r) {
        QueueMessage m = r.message();
        StringBuilder t = new StringBuilder();
        t.append("This is the mail system at ").append(r.reportingMta()).append(".\r\n\r\n");
        t.append(switch (r.action()) {
            case FAILED -> "Your message could not be delivered to one or more recipients. It is returned\r\n"
                    + "below (or its header, when it was large or its sender asked for that).";
            case DELAYED -> "Your message could not be delivered yet to one or more recipients. This is only a\r\n"
                    + "warning: delivery will be tried again" + (r.willRetryUntil() == null ? "." : " until " + DATE.format(r.willRetryUntil()) + ".")
                    + "\r\nYou do not need to send the message again.";
            case DELIVERED -> "Your message was delivered to the recipients below.";
            case RELAYED -> "Your message was passed on to the recipients' mail servers below, which do not\r\n"
                    + "return delivery notifications themselves: this is the last report you will get.";
            case EXPANDED -> "Your message was delivered to the recipients below, which forward it further.";
        }).append("\r\n\r\n");
        for (Delivery d : r.deliveries()) {
            t.append("<").append(clean(d.address())).append(">");
            if (d.remoteMta() != null) t.append(" (host ").append(clean(d.remoteMta())).append(")");
            t.append(":\r\n    ");
            String reply = d.lastReply() == null ? "" : clean(d.lastReply());
            boolean expired = r.action() == DsnAction.FAILED && reply.startsWith("4");
            if (expired) {
                t.append("Gave up after ").append(java.time.Duration.between(m.receivedAt(), r.now()).toHours())
                        .append(" hours of trying; the last attempt said:\r\n    ");
            }
            t.append(reply.isEmpty() ? "(no details)" : reply).append("\r\n");
        }
        return t.toString();
    }

    /**
     * The RFC 3463 status for a recipient: the reply's enhanced code when its class fits the
     * reply code, else one made from the reply code's class.
     */
    static String status(DsnAction action, String reply) {
        if (reply != null) {
            Matcher e = ENHANCED.matcher(reply);
            if (e.find() && e.group(1).equals(e.group(2).substring(0, 1))) return e.group(2);
            Matcher c = CODE.matcher(reply);
            if (c.find()) return c.group(1) + ".0.0";
        }
        return switch (action) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            default -> "2.0.0";
        };
    }

    /** Text safe for a header field or status line: no control characters. */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? ' ' : ch);
        }
        return b.toString().strip();
    }
}
