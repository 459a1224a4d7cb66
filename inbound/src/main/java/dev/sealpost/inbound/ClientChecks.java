package dev.sealpost.inbound;

import dev.sealpost.filter.Hit;
import dev.sealpost.filter.net.DnsblCheck;
import dev.sealpost.filter.net.DnsxlZone;
import dev.sealpost.filter.net.Greylister;
import dev.sealpost.filter.net.TempFailure;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The filter's checks on the connecting client at the MX, before the content (issue 14,
 * docs/filter.md "In the server"): DNS lists on the client's address at the first MAIL FROM of a
 * session, greylisting at each RCPT TO. Shared by every session (thread-safe: its parts are).
 * Mail from authenticated clients and anything on the submission listeners is never checked here.
 */
public final class ClientChecks {
    private static final Logger log = LoggerFactory.getLogger(ClientChecks.class);

    /** The hits of one client (DNSBL and DNSWL listings), kept for the session and handed to the content filter. */
    public record ClientHits(List<Hit> hits) {
        public ClientHits {
            hits = List.copyOf(hits);
        }

        /** Whether an allow list (DNSWL) lists the client. */
        public boolean allowListed() {
            return hits.stream().anyMatch(h -> h.name().startsWith("dnswl_"));
        }
    }

    private final DnsblCheck lists;
    private final Map<String, DnsxlZone> zonesByHit;
    private final boolean reject;
    private final Greylister greylister;
    /** When expired greylist rows were last purged (nanoTime), at most once a day from a session. */
    private final java.util.concurrent.atomic.AtomicLong lastPurge = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private static final long PURGE_EVERY = java.util.concurrent.TimeUnit.DAYS.toNanos(1);

    private void purgeNowAndThen(String sessionId) {
        long last = lastPurge.get();
        long now = System.nanoTime();
        if (now - last < PURGE_EVERY || !lastPurge.compareAndSet(last, now)) return;
        try {
            int n = greylister.purge();
            log.info("{} greylist: {} expired triplet(s) deleted", sessionId, n);
        } catch (RuntimeException e) {
            log.warn("{} greylist purge failed: {}", sessionId, e.toString());
        }
    }

    /**
     * @param lists      the client IP lists (block and allow), or null for none
     * @param zones      the same zones (for the reply naming the list)
     * @param reject     {@code filter.dnsbl_policy = "reject"}: a block-list hit refuses the client
     * @param greylister greylisting, or null when {@code filter.greylist} is false
     */
    public ClientChecks(DnsblCheck lists, List<DnsxlZone> zones, boolean reject, Greylister greylister) {
        this.lists = lists;
        this.zonesByHit = zones.stream().collect(Collectors.toUnmodifiableMap(DnsxlZone::hit, Function.identity(), (a, b) -> a));
        this.reject = reject;
        this.greylister = greylister;
    }

    /** Whether there is anything to do (else the session skips every call). */
    public boolean active() {
        return (lists != null && !zonesByHit.isEmpty()) || greylister != null;
    }

    /**
     * At the first MAIL FROM of a session: the client's address against the lists. With the reject
     * policy a block-list listing refuses the transaction with 554 5.7.1 naming the list (as
     * Postfix's {@code reject_rbl_client} does); otherwise the hits are kept and scored with the
     * message.
     */
    public ClientHits atMail(SessionInfo session) throws SmtpRejection {
        if (lists == null || session.kind() != ListenerKind.MX || session.authenticatedUser() != null) return new ClientHits(List.of());
        String ip = session.remote().getAddress().getHostAddress();
        List<Hit> hits = lists.check(ip);
        if (!hits.isEmpty()) {
            log.info("{} client {} listed: {}", session.sessionId(), ip,
                    hits.stream().map(h -> h.name() + " " + h.weight()).collect(Collectors.joining(", ")));
        }
        if (reject) {
            for (Hit h : hits) {
                DnsxlZone z = zonesByHit.get(h.name());
                if (z == null || z.kind() != DnsxlZone.Kind.IP_BLOCK) continue;
                // RFC 5321 §4.2.3 554 transaction failed; RFC 3463 X.7.1 delivery not authorized;
                // RFC 5782 §2.1: the list's TXT record, when it has one, says why (bounded, printable: DnsxlLookup)
                String reason = h.detail().contains("): ") ? "; " + h.detail().substring(h.detail().indexOf("): ") + 3) : "";
                dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "dnsbl_reject");
                throw new SmtpRejection(554, "5.7.1", "Service unavailable; Client host [" + ip + "] blocked using " + z.zone() + reason);
            }
        }
        return new ClientHits(hits);
    }

    /**
     * At RCPT TO, after the recipient is known to be ours: greylisting (RFC 6647), skipped for
     * authenticated clients, allow-listed clients and senders, and clients an allow list (DNSWL) lists.
     */
    public void atRcpt(SessionInfo session, MailTransaction tx, String recipient, ClientHits client) throws SmtpRejection {
        if (greylister == null || session.kind() != ListenerKind.MX) return;
        if (client != null && client.allowListed()) return; // RFC 6647 §2.2: known-good senders are not delayed
        // RFC 5321 §4.5.1: mail to the postmaster must get through (reports of trouble, often from misconfigured senders)
        if (recipient.regionMatches(true, 0, "postmaster@", 0, 11)) return;
        purgeNowAndThen(session.sessionId());
        Greylister.Decision d = greylister.check(new Greylister.Request(session.remote().getAddress().getHostAddress(),
                tx.reversePath() == null ? "" : tx.reversePath().toString(), recipient, session.authenticatedUser() != null, null));
        if (d instanceof Greylister.Decision.Defer defer) {
            TempFailure f = defer.reply();
            log.info("{} greylisted <{}> from {}: {}", session.sessionId(), recipient, session.remote().getAddress().getHostAddress(), f.text());
            // RFC 6647 §2.1: a temporary failure; RFC 5321 §4.2.1 451; RFC 3463 X.7.1
            dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "greylisted");
            throw new SmtpRejection(f.code(), f.enhanced(), f.text());
        }
    }
}
