package dev.sealpost.filter.quarantine;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The quarantine digest: per account, when something new was held since its last digest and that
 * digest is at least {@link Settings#interval} old, one mail listing what is held (date, sender,
 * subject, verdict and score) with a release and a delete link for each. Handed to the spool for
 * local delivery like any mail (so the recipient's Sieve script sees it too).
 */
public final class QuarantineDigest {
    private static final Logger log = LoggerFactory.getLogger(QuarantineDigest.class);
    /** Most entries listed in one digest (the newest). */
    public static final int MAX_LISTED = 200;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * @param interval     least time between two digests to one account (config {@code filter.quarantine_digest})
     * @param linkValidity how long a link works (config {@code filter.quarantine_link_days}), never past the entry's expiry
     * @param webBase      the HTTPS base of the web listener, e.g. {@code https://mail.example.org}
     */
    public record Settings(Duration interval, Duration linkValidity, String webBase) {}

    private final Store store;
    private final QuarantineTokens tokens;
    private final Settings settings;
    private final Clock clock;
    private final Runnable onEnqueued;

    public QuarantineDigest(Store store, QuarantineTokens tokens, Settings settings, Clock clock, Runnable onEnqueued) {
        this.store = store;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
        this.onEnqueued = onEnqueued == null ? () -> {} : onEnqueued;
    }

    /** The path under which links are served: {@code /quarantine/<token>}. */
    public static final String PATH = "/quarantine/";

    /** Sends the digests that are due (all with something new when {@code force}); returns how many were queued. */
    public int sendDue(boolean force) {
        Instant now = clock.instant();
        int sent = 0;
        for (Quarantine.DigestMark m : store.quarantine().accountsWithNewEntries()) {
            if (!force && now.isBefore(m.sentAt().plus(settings.interval()))) continue;
            List<Quarantine.Entry> held = store.quarantine().listForAccount(m.accountId(), MAX_LISTED);
            if (held.isEmpty()) continue;
            try {
                long qid = send(held, m.lastEntryId(), now);
                store.quarantine().markDigest(m.accountId(), held.getFirst().id(), now);
                log.info("quarantine digest for account {} ({} held) queued, queue id={}", m.accountId(), held.size(), qid);
                sent++;
            } catch (IOException | RuntimeException e) {
                log.error("quarantine digest for account {} failed", m.accountId(), e);
            }
        }
        if (sent > 0) onEnqueued.run();
        return sent;
    }

    private long send(List<Quarantine.Entry> held, long lastListed, Instant now) throws IOException {
        String rcpt = held.getFirst().recipient();
        String domain = rcpt.substring(rcpt.lastIndexOf('@') + 1);
        String from = "postmaster@" + domain;
        byte[] text = compose(rcpt, from, held, lastListed, now).getBytes(StandardCharsets.UTF_8);
        BlobRef blob = store.blobs().put(text);
        // a null reverse-path: nothing bounces back to a notice (RFC 5321 §4.5.5)
        return store.spool().enqueue(new Spool.Envelope("", List.of(new Spool.Recipient(rcpt, null, null)), null, null, null,
                "quarantine-digest", false, false, null, null, null, now), blob);
    }

    /** The digest mail: headers and a plain-text body, CRLF lines; only envelope facts of each held message. */
    String compose(String rcpt, String from, List<Quarantine.Entry> held, long lastListed, Instant now) {
        long fresh = held.stream().filter(e -> e.id() > lastListed).count();
        StringBuilder m = new StringBuilder();
        m.append("From: Mail filter <").append(from).append(">\r\n");
        m.append("To: <").append(rcpt).append(">\r\n");
        m.append("Subject: Quarantine digest: ").append(fresh).append(" new, ").append(held.size()).append(" held\r\n");
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atZone(ZoneOffset.UTC))).append("\r\n");
        m.append("Message-ID: <quarantine-digest.").append(UUID.randomUUID()).append('@').append(from.substring(from.indexOf('@') + 1)).append(">\r\n");
        m.append("Auto-Submitted: auto-generated\r\n"); // RFC 3834 §5: a notice, no auto-replies to it
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\n");
        m.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        m.append("The mail filter held these messages for ").append(rcpt).append(" instead of delivering them.\r\n");
        m.append("They were not delivered and their content is not shown here. If one of them is wanted mail,\r\n");
        m.append("open its release link and confirm: it will be delivered to your INBOX. The links work once\r\n");
        m.append("and expire; held messages are deleted on their expiry date anyway.\r\n\r\n");
        for (Quarantine.Entry e : held) {
            Instant expires = min(e.expiresAt(), now.plus(settings.linkValidity()));
            m.append(e.id() > lastListed ? "* NEW  " : "*      ").append(DATE.format(e.receivedAt())).append("\r\n");
            m.append("  From:    ").append(line(e.fromHeader() == null || e.fromHeader().isBlank() ? "<" + e.mailFrom() + ">" : e.fromHeader())).append("\r\n");
            if (!e.mailFrom().isEmpty()) m.append("  Sender:  <").append(line(e.mailFrom())).append(">\r\n");
            m.append("  Subject: ").append(line(e.subject() == null ? "(no subject)" : e.subject())).append("\r\n");
            m.append("  Reason:  ").append(e.verdict()).append(", score ").append(e.score());
            List<String> names = e.hits().lines().filter(l -> !l.isBlank()).map(l -> l.split(" ", 2)[0]).limit(8).toList();
            if (!names.isEmpty()) m.append(" (").append(String.join(", ", names)).append(')');
            m.append("\r\n");
            m.append("  Release: ").append(link(e, QuarantineTokens.Action.RELEASE, expires)).append("\r\n");
            m.append("  Delete:  ").append(link(e, QuarantineTokens.Action.DELETE, expires)).append("\r\n");
            m.append("  Held until ").append(DATE.format(e.expiresAt())).append("; links valid until ").append(DATE.format(expires)).append("\r\n\r\n");
        }
        return m.toString();
    }

    private String link(Quarantine.Entry e, QuarantineTokens.Action a, Instant expires) {
        return settings.webBase() + PATH + tokens.issue(e.id(), e.queueMessageId(), e.accountId(), a, expires);
    }

    /** Header texts of a held message in one line of at most 200 characters (the store already removed control characters). */
    private static String line(String s) {
        String t = s.replaceAll("[\\x00-\\x1f\\x7f]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
