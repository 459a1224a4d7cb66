package dev.sealpost.inbound;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.PolicyPublished;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.results.AuthenticationResults;
import dev.sealpost.auth.spf.SpfOutcome;
import dev.sealpost.core.net.Cidr;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Reports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Sender authentication at the MX: SPF (HELO and MAIL FROM), DKIM, iprev and DMARC on every
 * message, one Authentication-Results field on top (RFC 8601), forged ones with our
 * authserv-id removed (RFC 8601 §5), DMARC {@code p=reject} answered with 550 5.7.1
 * before "250" (RFC 7489 §6.3, §7.3 / DMARCbis: reject during the SMTP transaction) and
 * {@code p=quarantine} filed into the recipient's Junk mailbox. Each message DMARC was evaluated
 * for (a policy record was found) is handed to an observation sink for our daily aggregate
 * reports (RFC 7489 §7.2), with the disposition we actually applied.
 */
public final class AuthenticationPolicy implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(AuthenticationPolicy.class);

    /**
     * @param enforceReject answer DMARC p=reject with 550 (config {@code auth.dmarc_reject}); when false, only report
     * @param domainCaps    per-domain overrides: the strictest disposition for mail from that
     *                      From (or DMARC policy) domain (config {@code auth.dmarc_overrides})
     * @param forwarders    clients whose mail is never refused for DMARC (known forwarders and
     *                      mailing lists that break alignment), as CIDRs (config {@code auth.trusted_forwarders})
     */
    public record Settings(boolean enforceReject, List<Cidr> forwarders, java.util.Map<String, MessageAuthenticator.Disposition> domainCaps) {
        public Settings(boolean enforceReject, List<Cidr> forwarders) {
            this(enforceReject, forwarders, java.util.Map.of());
        }

        public Settings {
            domainCaps = java.util.Map.copyOf(domainCaps);
        }

        /** The strictest disposition allowed for mail from this From or policy domain (config {@code auth.dmarc_overrides}), or null. */
        MessageAuthenticator.Disposition capFor(String fromDomain, String policyDomain) {
            MessageAuthenticator.Disposition c = fromDomain == null ? null : domainCaps.get(fromDomain.toLowerCase(java.util.Locale.ROOT));
            if (c == null && policyDomain != null) c = domainCaps.get(policyDomain.toLowerCase(java.util.Locale.ROOT));
            return c;
        }
    }

    private final MessageAuthenticator authenticator;
    private final String authservId;
    private final Settings settings;

    private final Consumer<Reports.Observation> observations;

    /** Without DMARC report observations. */
    public AuthenticationPolicy(MessageAuthenticator authenticator, String authservId, Settings settings) {
        this(authenticator, authservId, settings, o -> { });
    }

    /**
     * @param observations receives one observation per DMARC-evaluated message (normally
     *                     {@code store.reports()::recordObservation}); a failure there is logged, never fails the message
     */
    public AuthenticationPolicy(MessageAuthenticator authenticator, String authservId, Settings settings,
                                Consumer<Reports.Observation> observations) {
        this.authenticator = authenticator;
        this.authservId = authservId;
        this.settings = settings;
        this.observations = observations;
    }

    /** Result words are the fixed keywords of RFC 8601 §2.7 (a bounded set), never message data. */
    private static void authResult(String method, String result) {
        Meters.count(Meters.AUTH_RESULTS, "Sender-authentication results at the MX", "method", method,
                "result", result.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        // submission is authenticated by AUTH; the checks are for mail from other MTAs
        if (session.kind() != ListenerKind.MX) return List.of();
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        InetAddress ip = session.remote().getAddress();
        String mailFrom = tx.reversePath() == null ? "" : tx.reversePath().toString();
        MessageAuthenticator.Verdict v = authenticator.authenticate(ip, session.helo(), mailFrom, AuthMessage.of(bytes));
        log.info("{} auth: spf={} dkim={} arc={} dmarc={} from={} disposition={}{}", session.sessionId(),
                v.spf().result().keyword(), v.dkim().stream().map(d -> d.status().word()).toList(), v.arc().cv().tag(),
                v.dmarc().result().keyword(), v.dmarc().fromDomain(), v.disposition(),
                v.arcOverride() ? " (DMARC failure overridden by trusted ARC sealer " + v.arc().newestSealer() + ")" : "");
        authResult("spf", v.spf().result().keyword());
        for (DkimResult r : v.dkim()) authResult("dkim", r.status().word());
        if (v.dkim().isEmpty()) authResult("dkim", "none");
        authResult("arc", v.arc().cv().tag());
        authResult("dmarc", v.dmarc().result().keyword());
        content.attach(MessageAuthenticator.Verdict.class, v); // for the policies after this one (the filter)
        MessageAuthenticator.Disposition d = v.disposition();
        String override = v.dmarc().sampledOut() ? "sampled_out" : v.arcOverride() ? "local_policy" : null;
        // local policy first: a per-domain cap (a partner whose forwarding breaks alignment), then
        // the trusted forwarders, then whether reject is enforced at all (RFC 7489 §6.7 local policy)
        MessageAuthenticator.Disposition cap = settings.capFor(v.dmarc().fromDomain(), v.dmarc().policyDomain());
        if (cap != null && d.compareTo(cap) > 0) {
            d = cap;
            override = "local_policy";
        }
        boolean forwarder = settings.forwarders().stream().anyMatch(c -> c.contains(ip));
        if (d == MessageAuthenticator.Disposition.REJECT && forwarder) {
            log.info("{} DMARC reject not applied: {} is a trusted forwarder", session.sessionId(), ip.getHostAddress());
            d = MessageAuthenticator.Disposition.ACCEPT;
            override = "trusted_forwarder";
        } else if (d == MessageAuthenticator.Disposition.REJECT && !settings.enforceReject()) {
            d = MessageAuthenticator.Disposition.ACCEPT;
            override = "local_policy";
        }
        String applied = switch (d) {
            case ACCEPT -> "none";
            case QUARANTINE -> "quarantine";
            case REJECT -> "reject";
        };
        observe(session, v, ip, mailFrom, applied, override);
        if (d == MessageAuthenticator.Disposition.REJECT) {
            // RFC 7489 §6.3 / §10.3: refuse in the SMTP transaction, with 5.7.1
            throw new SmtpRejection(550, "5.7.1", "Message rejected: DMARC policy of " + v.dmarc().policyDomain()
                    + " says reject (From " + v.dmarc().fromDomain() + " is not authenticated)");
        }
        if (d == MessageAuthenticator.Disposition.QUARANTINE) {
            // RFC 7489 §6.3 p=quarantine: accept, but treat as suspicious: the recipient's Junk folder
            content.fileInto("\\Junk");
        }
        List<String> fields = new java.util.ArrayList<>(List.of(v.header().toHeaderField()));
        if (v.bimi() != null) fields.addAll(v.bimi().headerFields()); // BIMI-Location, BIMI-Indicator: only on pass
        return fields;
    }

    /** Hands the message's DMARC evaluation to the report sink; only messages with a policy record are reported on. */
    private void observe(SessionInfo session, MessageAuthenticator.Verdict v, InetAddress ip, String mailFrom,
                         String disposition, String override) {
        Reports.Observation o = observation(v, ip, mailFrom, disposition, override);
        if (o == null) return;
        try {
            observations.accept(o);
        } catch (RuntimeException e) {
            // reports are best effort: a store hiccup must not cost the message
            log.warn("{} DMARC observation not recorded: {}", session.sessionId(), e.toString());
        }
    }

    /**
     * The aggregate report row for one message (RFC 7489 Appendix C {@code record}), or null when
     * DMARC found no usable policy record (none, temperror, permerror): nobody to report to.
     *
     * @param disposition the policy we applied: {@code none}, {@code quarantine} or {@code reject}
     * @param override    Appendix C PolicyOverrideType when we applied less than requested, or null
     */
    static Reports.Observation observation(MessageAuthenticator.Verdict v, InetAddress ip, String mailFrom,
                                           String disposition, String override) {
        DmarcOutcome dm = v.dmarc();
        if (dm.record() == null || dm.policyDomain() == null || dm.fromDomain() == null) return null;
        // RFC 7489 Appendix C auth_results/spf: the MAIL FROM check, or HELO's for the null reverse-path
        boolean nullSender = mailFrom.isEmpty();
        SpfOutcome spf = nullSender ? v.heloSpf() : v.mailFromSpf();
        String envelopeFrom = nullSender ? null : mailFrom.substring(mailFrom.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        List<Reports.DkimAuth> dkim = new ArrayList<>();
        for (DkimResult r : v.dkim()) dkim.add(new Reports.DkimAuth(r.domain(), r.selector(), r.status().word()));
        PolicyPublished p = PolicyPublished.of(dm.policyDomain(), dm.record());
        Reports.PublishedPolicy published = new Reports.PublishedPolicy(
                p.adkim() == null ? null : p.adkim().keyword(), p.aspf() == null ? null : p.aspf().keyword(),
                p.p() == null ? null : p.p().keyword(), p.sp() == null ? null : p.sp().keyword(),
                p.np() == null ? null : p.np().keyword(), p.pct(), p.fo() == null || p.fo().isEmpty() ? null : p.fo());
        LocalDate day = LocalDate.ofInstant(dm.evaluatedAt(), ZoneOffset.UTC); // RFC 7489 §7.2.1.1: UTC day boundaries
        return new Reports.Observation(day, dm.policyDomain(), ip.getHostAddress(), dm.fromDomain(), envelopeFrom,
                spf == null ? null : spf.domain(), spf == null ? null : (nullSender ? "helo" : "mfrom"),
                spf == null ? null : spf.result().keyword(), dkim, disposition, override, dm.spfAligned(), dm.dkimAligned(), published);
    }

    @Override
    public boolean removeHeader(SessionInfo session, String name, String value) {
        // BIMI draft §8.8: BIMI-Location and BIMI-Indicator from the sender are always removed
        if (session.kind() == ListenerKind.MX && dev.sealpost.auth.bimi.BimiHeaders.mustRemove(name)) return true;
        // RFC 8601 §5: remove Authentication-Results fields that claim our authserv-id, so that a
        // sender cannot plant results our users (and their clients) would trust
        return session.kind() == ListenerKind.MX && name.equalsIgnoreCase("Authentication-Results")
                && AuthenticationResults.isOurs(value, authservId);
    }
}
