package dev.sealpost.delivery;

import dev.sealpost.queue.srs.Srs;
import dev.sealpost.sieve.run.Action;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Sends mail on from local delivery: alias expansions to other domains and Sieve
 * {@code redirect} (RFC 5228 §4.2) with the envelope sender rewritten by SRS, and Sieve vacation
 * replies (RFC 5230). Each leaves as a new spool message, which local delivery hands to the
 * outbound queue like any other; its delivery failures go to the SRS address and so come back
 * to us ({@code InboundHandler} reverses it at RCPT).
 *
 * <p>The new message is committed before the original recipient is marked done, together with
 * a key naming the delivery and the action ({@link Spool#enqueueOnce}): a crash in between redoes
 * the delivery, which finds the key and queues nothing again (exactly once).
 */
public final class Forwarder {
    /** The header field that marks mail a Sieve script of ours redirected, with the account's address. */
    public static final String REDIRECTED = "X-Sealpost-Redirected";
    /** More redirect marks than this on one message and it is not redirected again (a loop through other servers). */
    static final int MAX_REDIRECT_MARKS = 5;

    private final Store store;
    private final Srs srs;
    private final Clock clock;

    /**
     * @param srs rewrites senders (config {@code [srs]}), or null to forward with the original sender
     */
    public Forwarder(Store store, Srs srs, Clock clock) {
        this.store = store;
        this.srs = srs;
        this.clock = clock;
    }

    /**
     * The reverse-path for mail from {@code mailFrom} that leaves through {@code ourDomain} for
     * {@code target}: an SRS address of {@code ourDomain}, except for the null reverse-path
     * (RFC 5321 §4.5.5), a sender at one of our own domains (our SPF covers it) and a target that
     * stays here.
     */
    public String sender(String mailFrom, String ourDomain, String target) {
        if (srs == null || mailFrom.isEmpty()) return mailFrom;
        String td = domainOf(target);
        if (td == null || store.directory().isLocalDomain(td)) return mailFrom;
        String sd = domainOf(mailFrom);
        if (sd == null || store.directory().isLocalDomain(sd)) return mailFrom;
        // RFC 7208 Appendix D: the forwarder's rewriting keeps SPF passing at the next hop
        return srs.forward(mailFrom, ourDomain);
    }

    /**
     * An alias of {@code recipient} expanded to addresses at other domains: those that need a
     * rewritten sender leave as a new message with it; the rest stay on this message.
     *
     * @return the recipient's {@link Spool.Remote} disposition (its addresses: those sent with the original sender)
     */
    public Spool.Remote alias(Spool.QueuedMessage m, Spool.QueuedRecipient r, String ourDomain, List<String> addresses) {
        String from = m.envelope().mailFrom();
        List<String> keep = new ArrayList<>();
        List<Spool.Recipient> rewritten = new ArrayList<>();
        String srsFrom = null;
        for (String a : addresses) {
            String s = sender(from, ourDomain, a);
            if (s.equals(from)) {
                keep.add(a);
            } else {
                srsFrom = s;
                // RFC 3461 §4.2, §4.1: the forwarded copy keeps the recipient's ORCPT and NOTIFY
                rewritten.add(new Spool.Recipient(a, r.dsnNotify(), r.orcpt() != null ? r.orcpt() : "rfc822;" + r.address()));
            }
        }
        if (!rewritten.isEmpty()) store.spool().enqueue(envelope(m.envelope(), srsFrom, rewritten), m.blob());
        return new Spool.Remote(r.id(), keep);
    }

    /** Whether this message was redirected by {@code account} before, or too often (a redirect loop). */
    static boolean looping(List<String> marks, String account) {
        if (marks.size() >= MAX_REDIRECT_MARKS) return true;
        for (String v : marks) {
            if (v.strip().equalsIgnoreCase(account)) return true;
        }
        return false;
    }

    /** The session id of the error reports Sieve files for a user: local delivery files them into INBOX without running scripts. */
    public static final String REPORT_SESSION = "sieve-report";

    /**
     * RFC 5228 §4.2 redirect: {@code content} with our redirect mark on top goes to {@code to};
     * the envelope sender is chosen by us (the section leaves it to the implementation): SRS.
     * Queued once per {@code key} ({@link Spool#enqueueOnce}): a delivery redone after a crash
     * does not forward a second copy.
     *
     * @param key     names the delivery and the action (queue id, account, address)
     * @param account the redirecting account's address, for the mark and loop detection
     * @return the new queue id, or empty when this redirect was queued before
     */
    public java.util.OptionalLong redirect(String key, Spool.Envelope original, byte[] content, String account, String to) throws IOException {
        String ourDomain = domainOf(account);
        byte[] mark = (REDIRECTED + ": " + account + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[mark.length + content.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(content, 0, all, mark.length, content.length);
        BlobRef blob = store.blobs().put(all);
        String from = sender(original.mailFrom(), ourDomain, to);
        return store.spool().enqueueOnce(key, envelope(original, from, List.of(new Spool.Recipient(to, null, null))), blob);
    }

    /**
     * Sends the auto-reply a vacation action built (RFC 5230 §4), once per {@code key}, and
     * remembers it for the action's period (RFC 5230 §4.2, RFC 6131).
     *
     * @return the new queue id, or empty when it was queued before
     */
    public java.util.OptionalLong vacation(String key, long accountId, Action.Vacation v) throws IOException {
        String domain = domainOf(v.from());
        String id = "Message-ID: <" + UUID.randomUUID() + "@" + (domain == null ? "localhost" : domain) + ">\r\n";
        byte[] head = id.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + v.reply().length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(v.reply(), 0, all, head.length, v.reply().length);
        BlobRef blob = store.blobs().put(all);
        Instant now = clock.instant();
        // RFC 5230 §5.1: the envelope sender of the reply SHOULD be <>, so that it never causes a
        // bounce or another auto-reply (RFC 3834 §3.3)
        Spool.Envelope env = new Spool.Envelope("", List.of(new Spool.Recipient(v.to(), null, null)), null, null, null,
                "sieve-vacation", false, !ascii(v.to()) || !ascii(v.from()), "8BITMIME", null, null, now);
        java.util.OptionalLong qid = store.spool().enqueueOnce(key, env, blob);
        store.sieveScripts().rememberVacation(accountId, v.handle() == null ? "" : v.handle(), v.to(), now.plus(v.period()));
        return qid;
    }

    /**
     * Sends a Sieve notification (RFC 5436) once per {@code key}, with the null envelope sender
     * so that it causes no bounce or auto-reply (RFC 3834 §3.3); the outbound queue delivers it.
     *
     * @return the new queue id, or empty when it was queued before
     */
    public java.util.OptionalLong notification(String key, SieveFilter.Notification n) throws IOException {
        BlobRef blob = store.blobs().put(n.message());
        List<Spool.Recipient> rcpts = new ArrayList<>();
        for (String to : n.to()) rcpts.add(new Spool.Recipient(to, null, null));
        boolean utf8 = n.to().stream().anyMatch(a -> !ascii(a));
        Spool.Envelope env = new Spool.Envelope("", rcpts, null, null, null, "sieve-notify", false, utf8, "8BITMIME", null, null,
                clock.instant());
        return store.spool().enqueueOnce(key, env, blob);
    }

    /**
     * Files a report of a user's Sieve script errors into the account's INBOX, once per
     * {@code key} (one per script version): local delivery files it without running scripts.
     *
     * @return the new queue id, or empty when this report was filed before
     */
    public java.util.OptionalLong report(String key, String accountAddress, SieveFilter.Report r) throws IOException {
        String domain = domainOf(accountAddress);
        String postmaster = "postmaster@" + (domain == null ? "localhost" : domain);
        StringBuilder m = new StringBuilder();
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(domain == null ? "localhost" : domain).append(">\r\n");
        m.append("Date: ").append(java.time.ZonedDateTime.now(clock).format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)).append("\r\n");
        m.append("From: Mail filter <").append(postmaster).append(">\r\n");
        m.append("To: <").append(accountAddress).append(">\r\n");
        m.append(HeaderEdits.fold("Subject: " + HeaderEdits.encode("Sieve: errors in your script \"" + r.script() + "\"")));
        m.append("Auto-Submitted: auto-generated\r\n"); // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\n");
        m.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        m.append("Your mail filter script \"").append(r.script()).append("\" had errors while sorting incoming mail.\r\n");
        m.append("No mail was lost: each message it failed on was kept in your INBOX.\r\n\r\n");
        for (String e : r.errors()) m.append("  ").append(e.replaceAll("[\\x00-\\x1f\\x7f]+", " ")).append("\r\n");
        m.append("\r\nThis report is sent once for each version of the script; fix the script and upload it again\r\n");
        m.append("(ManageSieve CHECKSCRIPT or 'sealpost sieve check' shows the errors).\r\n");
        m.append("Script version: ").append(r.version()).append("\r\n");
        BlobRef blob = store.blobs().put(m.toString().getBytes(StandardCharsets.UTF_8));
        Spool.Envelope env = new Spool.Envelope("", List.of(new Spool.Recipient(accountAddress, null, null)), null, null, null,
                REPORT_SESSION, false, !ascii(accountAddress), "8BITMIME", null, null, clock.instant());
        return store.spool().enqueueOnce(key, env, blob);
    }

    private Spool.Envelope envelope(Spool.Envelope e, String mailFrom, List<Spool.Recipient> rcpts) {
        // the client address and authenticated user stay: the queue ARC-seals mail that came from
        // elsewhere (RFC 8617 §5.1) and leaves our users' own mail as it was signed
        return new Spool.Envelope(mailFrom, rcpts, e.clientAddress(), e.helo(), e.authUser(), e.sessionId(), e.requireTls(),
                e.smtpUtf8(), e.bodyType(), e.dsnRet(), e.dsnEnvid(), clock.instant());
    }

    static String domainOf(String address) {
        if (address == null) return null;
        String a = address.strip();
        if (a.endsWith(">")) a = a.substring(0, a.length() - 1); // "Name <local@domain>" (a vacation :from)
        int at = a.lastIndexOf('@');
        return at < 0 || at == a.length() - 1 ? null : a.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean ascii(String s) {
        return s == null || s.chars().allMatch(c -> c < 128);
    }
}
