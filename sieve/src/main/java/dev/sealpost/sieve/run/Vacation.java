package dev.sealpost.sieve.run;

import dev.sealpost.sieve.internal.Addresses;
import dev.sealpost.sieve.script.Compiled;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The vacation action (RFC 5230, with :seconds from RFC 6131): decides whether to answer at all
 * (RFC 5230 §4.5, §4.6, RFC 3834 §2) and builds the reply (RFC 5230 §5, RFC 3834 §3).
 */
public final class Vacation {
    private Vacation() {}

    /** RFC 5230 §4.1: the period when :days is not given, and the shortest and longest accepted. */
    public static final Duration DEFAULT_PERIOD = Duration.ofDays(7);
    public static final Duration MIN_PERIOD = Duration.ofDays(1);
    public static final Duration MAX_PERIOD = Duration.ofDays(90);

    /** Longest reply subject, in characters. */
    public static final int MAX_SUBJECT = 256;

    // RFC 5230 §4.6: senders that are never answered
    private static final List<String> NO_REPLY_LOCALS = List.of("mailer-daemon", "listserv", "majordomo", "postmaster");

    @SuppressWarnings("unchecked")
    static void run(Compiled.Command c, Interpreter.Run run) {
        Environment env = run.environment();
        // RFC 5230 §4.7: vacation may be given once per run
        if (!run.firstVacation()) run.fail("vacation: more than one vacation action");
        String reason = run.expand((String) c.args().getFirst());
        String subject = c.tags().get("subject") instanceof String s ? run.expand(s) : null;
        String from = c.tags().get("from") instanceof String f ? run.expand(f) : null;
        List<String> extra = c.tags().get("addresses") instanceof List<?> l ? run.expand((List<String>) l) : List.of();
        boolean mime = c.has("mime");
        Duration period;
        if (c.tags().get("seconds") instanceof Long sec) {
            // RFC 6131 §2: 0 seconds means always reply; otherwise clamped to the site's range
            period = sec == 0 ? Duration.ZERO : clamp(Duration.ofSeconds(sec), Duration.ofSeconds(1), MAX_PERIOD);
        } else if (c.tags().get("days") instanceof Long d) {
            period = clamp(Duration.ofDays(Math.min(d, 36500)), MIN_PERIOD, MAX_PERIOD); // RFC 5230 §4.1
        } else {
            period = DEFAULT_PERIOD;
        }
        // RFC 5230 §4.2: without :handle, the reply's arguments identify it
        String handle = c.tags().get("handle") instanceof String h ? run.expand(h)
                : digest(reason + "\u0000" + subject + "\u0000" + from + "\u0000" + extra + "\u0000" + mime);
        if (run.options().maxVariableSize() > 0 && reason.length() > 64 * 1024) run.fail("vacation: reason longer than 64 KiB");
        if (from != null && !from.isBlank() && Addresses.parse(from).size() != 1) run.fail("vacation: invalid :from \"" + from + "\"");
        String sender = env.envelope("from").isEmpty() ? "" : env.envelope("from").getFirst();
        String why = whyNot(run, sender, extra);
        if (why == null && period.isPositive() && env.vacationAlreadyReplied(sender, handle, period)) {
            why = "already replied to this sender within the period"; // RFC 5230 §4.2
        }
        if (why != null) {
            run.add(new Action.Vacation(sender, from, subject, reason, mime, handle, period, null, why), false);
            return;
        }
        List<String> own = ownAddresses(env, extra);
        // RFC 5230 §5.5: without :from, the reply comes from the user's address the message was sent to
        String named = namedRecipient(run, own);
        String replyFrom = from != null && !from.isBlank() ? from : named != null ? named : own.isEmpty() ? "" : own.getFirst();
        String originalSubject = run.headers("subject").isEmpty() ? "" : run.headers("subject").getFirst();
        // RFC 5230 §5.4: a subject derived from the original
        String replySubject = subject != null ? subject : "Auto: " + originalSubject;
        // a subject is kept to one reasonable line: 256 characters, the last an ellipsis
        if (replySubject.codePointCount(0, replySubject.length()) > MAX_SUBJECT) {
            replySubject = replySubject.substring(0, replySubject.offsetByCodePoints(0, MAX_SUBJECT - 1)) + "\u2026";
        }
        byte[] reply = reply(run, sender, replyFrom, replySubject, reason, mime, env.now());
        run.add(new Action.Vacation(sender, replyFrom, replySubject, reason, mime, handle, period, reply, null), false);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private static List<String> ownAddresses(Environment env, List<String> extra) {
        List<String> own = new ArrayList<>(env.userAddresses());
        for (String e : extra) own.addAll(Addresses.parse(e));
        return own;
    }

    /** RFC 5230 §4.5, §4.6 and RFC 3834 §2: the cases in which no reply is sent: why, or null to reply. */
    static String whyNot(Interpreter.Run run, String sender, List<String> extra) {
        Environment env = run.environment();
        // RFC 5230 §4.6: never to the null path, and not to daemons and list managers
        if (sender.isEmpty()) return "null envelope sender";
        String local = Addresses.localPart(sender).toLowerCase(Locale.ROOT);
        if (NO_REPLY_LOCALS.contains(local) || local.startsWith("owner-") || local.endsWith("-request")) return "sender is a daemon or list manager";
        // RFC 3834 §2 / RFC 5230 §4.6: not to automatic mail
        for (String a : run.headers("auto-submitted")) {
            if (!a.strip().toLowerCase(Locale.ROOT).startsWith("no")) return "automatic message (Auto-Submitted)";
        }
        // RFC 3834 §2, RFC 5230 §4.6: not to mailing-list mail (RFC 2369 List-* fields, RFC 2919 List-Id) or bulk mail
        for (String h : List.of("list-id", "list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner", "list-archive")) {
            if (!run.headers(h).isEmpty()) return "list message (" + h + ")";
        }
        for (String p : run.headers("precedence")) {
            String v = p.strip().toLowerCase(Locale.ROOT);
            if (v.equals("bulk") || v.equals("list") || v.equals("junk")) return "Precedence: " + v;
        }
        List<String> own = ownAddresses(env, extra);
        // RFC 5230 §4.5: never to one of the user's own addresses
        for (String o : own) if (o.equalsIgnoreCase(sender)) return "sender is the user";
        // RFC 5230 §4.5: only when one of the user's addresses is in a recipient field
        return namedRecipient(run, own) != null ? null : "the user is not a recipient named in the message";
    }

    /** The first of the user's addresses named in To, Cc, Bcc or their Resent- forms; null when none is. */
    private static String namedRecipient(Interpreter.Run run, List<String> own) {
        for (String h : List.of("to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc")) {
            for (String v : run.headers(h)) {
                for (String a : Addresses.parse(v)) {
                    for (String o : own) if (o.equalsIgnoreCase(a)) return a;
                }
            }
        }
        return null;
    }

    private static byte[] reply(Interpreter.Run run, String to, String from, String subject, String reason, boolean mime,
                                ZonedDateTime now) {
        StringBuilder m = new StringBuilder();
        m.append("Date: ").append(now.format(DateTimeFormatter.RFC_1123_DATE_TIME)).append("\r\n");
        m.append("From: ").append(clean(from)).append("\r\n");
        m.append("To: ").append(clean(recipientField(run, to))).append("\r\n");
        m.append("Subject: ").append(encodeIfNeeded(clean(subject))).append("\r\n");
        // RFC 5230 §5.9: replies name the original
        List<String> ids = run.headers("message-id");
        if (!ids.isEmpty()) {
            String id = clean(ids.getFirst().strip());
            m.append("In-Reply-To: ").append(id).append("\r\n");
            List<String> refs = run.headers("references");
            String prior = refs.isEmpty() ? "" : clean(refs.getFirst().strip()) + " ";
            m.append("References: ").append(prior).append(id).append("\r\n");
        }
        // RFC 3834 §5 / RFC 5230 §5.7: the reply says it is automatic
        m.append("Auto-Submitted: auto-replied (vacation)\r\n");
        m.append("Precedence: bulk\r\n");
        m.append("MIME-Version: 1.0\r\n");
        if (mime) {
            // RFC 5230 §4.4: with :mime the reason is a MIME entity: its own header fields and body
            String body = reason.replaceAll("\r?\n", "\r\n");
            m.append(body.startsWith("\r\n") ? body.substring(2) : body);
        } else {
            m.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            m.append(reason.replaceAll("\r?\n", "\r\n"));
        }
        if (m.charAt(m.length() - 1) != '\n') m.append("\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The reply's To field: the sender's mailbox as the original wrote it (with its display name)
     * in Reply-To, Sender or From when one of them names only that address; else the bare address.
     */
    private static String recipientField(Interpreter.Run run, String to) {
        for (String h : List.of("reply-to", "sender", "from")) {
            for (String v : run.headers(h)) {
                List<String> a = Addresses.parse(v);
                if (a.size() == 1 && a.getFirst().equalsIgnoreCase(to) && v.indexOf('\u0000') < 0) return v.strip();
            }
        }
        return "<" + to + ">";
    }

    /** No line ends may reach a header field from a script or a message. */
    private static String clean(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    private static String encodeIfNeeded(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 126) {
                // RFC 2047 §4.1: a B-encoded word for a non-ASCII subject
                return "=?utf-8?B?" + java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return s;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
