package dev.sealpost.inbound;

import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Pipeline;
import dev.sealpost.filter.Verdict;
import dev.sealpost.filter.attach.AttachmentCheck;
import dev.sealpost.filter.bayes.BayesCheck;
import dev.sealpost.filter.bayes.BayesClassifier;
import dev.sealpost.filter.bayes.StoreTokenTable;
import dev.sealpost.filter.links.LinkCheck;
import dev.sealpost.filter.net.DnsxlLookup;
import dev.sealpost.filter.net.DnsxlZone;
import dev.sealpost.filter.net.MalwareCheck;
import dev.sealpost.filter.net.TempFailure;
import dev.sealpost.filter.net.UriblCheck;
import dev.sealpost.filter.spoof.DisplayNameCheck;
import dev.sealpost.filter.spoof.LookalikeDomainCheck;
import dev.sealpost.filter.spoof.LookalikeDomains;
import dev.sealpost.filter.spoof.Protection;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Directory;
import dev.sealpost.store.FilterMark;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threat filter at the MX (issue 14, docs/filter.md "In the server"): runs after
 * {@link AuthenticationPolicy} (whose verdict it reads for the DMARC result of the From domain),
 * parses the message once and runs the pipeline: attachments, links, lookalike domains,
 * display-name spoofing and the classifier (the store's global model with the single recipient's
 * overlay). It adds {@code X-Spam-Status} and {@code X-Spam-Flag} (SpamAssassin's fields, which
 * clients read) and our {@link FilterMark} field for local delivery, and removes such fields that
 * arrive from outside, so that the copies in a stored message are always ours.
 * <ul>
 *   <li>reject: 550 5.7.1 naming the checks that fired, before "250";</li>
 *   <li>quarantine: accepted, held by local delivery (never in a mailbox);</li>
 *   <li>junk: filed into the recipient's {@code \Junk} mailbox (created when missing; an active
 *       Sieve script decides instead, reading the score through spamtest);</li>
 *   <li>a lookalike, display-name spoof or phishing link hit: {@code $Phishing} on the copy.</li>
 * </ul>
 * With {@link #withNetChecks} clamd and URIBL join the pipeline (malware: 554 5.7.1 naming the
 * signature; clamd down: 451 4.3.0 unless configured to accept), and the DNS list hits of the client
 * ({@link ClientChecks.ClientHits}, attached by the session) count with the message's. Mail from our
 * authenticated users (submission) is scored by the outbound pipeline only when {@link #withOutbound}
 * is set: no verdict fields, a hold when the account looks compromised.
 */
public final class FilterPolicy implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(FilterPolicy.class);
    /** Hits that earn the {@code $Phishing} keyword. */
    public static final Set<String> PHISHING_HITS = Set.of("lookalike_domain", "display_name_spoof", "phishing_link", "lookalike_link");
    /** How long the protected set (our domains change at run time) is reused. */
    private static final Duration PROTECTION_TTL = Duration.ofSeconds(60);

    /**
     * @param enabled  {@code filter.enabled}: when false nothing is scored, but the fields are still removed
     * @param filter   thresholds, weight overrides and hit actions
     * @param protect  {@code filter.protect}: domains guarded besides our own
     * @param vips     {@code filter.vips}: protected people
     */
    public record Settings(boolean enabled, FilterSettings filter, List<String> protect, List<Protection.Person> vips) {
        public Settings {
            protect = List.copyOf(protect);
            vips = List.copyOf(vips);
        }
    }

    private final Store store;
    private final Settings settings;
    private final Clock clock;
    private final PublicSuffixList psl = PublicSuffixList.bundled();
    private final BayesClassifier classifier;
    private volatile Cached cached;
    /** Malware scanning through clamd ({@code filter.clamd}), or null. */
    private MalwareCheck malware;
    /** URIBL lookups ({@code filter.uribl}), or null. */
    private DnsxlLookup uriblLookup;
    private List<DnsxlZone> uriblZones = List.of();
    /** The outbound side at submission, or null (submission not scored). */
    private OutboundGuard outbound;

    private record Cached(Pipeline pipeline, Pipeline outbound, Instant built) {}

    public FilterPolicy(Store store, Settings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.classifier = new BayesClassifier(new StoreTokenTable(store.filterTokens()));
    }

    /**
     * Adds the network checks to the pipeline: clamd scanning (both listeners) and the domain lists
     * for links. Called once while the server is wired, before any session.
     *
     * @param malware the malware check, or null
     * @param lookup  DNS list lookups, or null when {@code zones} is empty
     * @param zones   the URIBL zones
     */
    public FilterPolicy withNetChecks(MalwareCheck malware, DnsxlLookup lookup, List<DnsxlZone> zones) {
        this.malware = malware;
        this.uriblLookup = lookup;
        this.uriblZones = List.copyOf(zones);
        this.cached = null;
        return this;
    }

    /**
     * Thresholds per recipient domain or address ({@code [filter.overrides]}: an address beats its
     * domain), each a complete {@link FilterSettings}. They apply when every recipient of the
     * message has the same one; recipients with different thresholds get the global ones (the
     * message gets one verdict).
     */
    public FilterPolicy withOverrides(Map<String, FilterSettings> byDomainOrAddress) {
        Map<String, FilterSettings> m = new HashMap<>();
        byDomainOrAddress.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        this.overrides = Map.copyOf(m);
        return this;
    }

    private Map<String, FilterSettings> overrides = Map.of();

    /** The thresholds for this transaction's recipients (the global ones unless they all share an override). */
    FilterSettings settingsFor(MailTransaction tx) {
        if (overrides.isEmpty() || tx.recipients().isEmpty()) return settings.filter();
        FilterSettings chosen = null;
        boolean first = true;
        for (MailTransaction.Recipient r : tx.recipients()) {
            FilterSettings s = overrides.get(r.address().toString().toLowerCase(Locale.ROOT));
            if (s == null) s = overrides.get(r.address().domain().toLowerCase(Locale.ROOT));
            if (first) {
                chosen = s;
                first = false;
            } else if (s != chosen) {
                return settings.filter();
            }
        }
        return chosen == null ? settings.filter() : chosen;
    }

    /** Scores mail at submission too, for {@code guard}'s compromised-account hold (docs/filter.md "Submission"). */
    public FilterPolicy withOutbound(OutboundGuard guard) {
        this.outbound = guard;
        return this;
    }

    /** The pipeline over the current protected set: rebuilt at most once a minute (our domains change at run time). */
    Pipeline pipeline() {
        return cached().pipeline();
    }

    private Cached cached() {
        Cached c = cached;
        Instant now = clock.instant();
        if (c != null && Duration.between(c.built(), now).compareTo(PROTECTION_TTL) < 0) return c;
        Set<String> domains = new LinkedHashSet<>(settings.protect());
        for (String d : store.directory().domains()) domains.add(d.toLowerCase(Locale.ROOT));
        // TODO(issue 14): our users as protected people and each recipient's known correspondents
        Protection protection = new Protection(domains, settings.vips(), Set.of());
        LookalikeDomains lookalikes = new LookalikeDomains(psl, protection.allDomains());
        List<Check> checks = new ArrayList<>(List.of(new AttachmentCheck(AttachmentCheck.Settings.defaults()),
                new LinkCheck(psl, lookalikes, List.of()), new LookalikeDomainCheck(lookalikes),
                new DisplayNameCheck(protection, lookalikes), new BayesCheck(classifier)));
        // outgoing mail: the content checks without the spoofing ones (our users write from our domains)
        List<Check> out = new ArrayList<>(List.of(new AttachmentCheck(AttachmentCheck.Settings.defaults()),
                new LinkCheck(psl, lookalikes, List.of()), new BayesCheck(classifier)));
        if (uriblLookup != null && !uriblZones.isEmpty()) {
            UriblCheck u = new UriblCheck(uriblLookup, uriblZones, psl, domains); // our own domains are never looked up
            checks.add(u);
            out.add(u);
        }
        if (malware != null) {
            checks.add(malware);
            out.add(malware);
        }
        Cached fresh = new Cached(new Pipeline(checks, settings.filter()), new Pipeline(out, settings.filter()), now);
        cached = fresh;
        return fresh;
    }

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        if (!settings.enabled()) return List.of();
        if (session.kind() != ListenerKind.MX) {
            // submission: the outbound side (docs/filter.md "Submission"); the MX pipeline is for mail from other MTAs
            return outbound != null && session.authenticatedUser() != null ? outbound(session, tx, content) : List.of();
        }
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        MessageAuthenticator.Verdict auth = content.attachment(MessageAuthenticator.Verdict.class);
        boolean dmarcPass = auth != null && auth.dmarc().result() == DmarcResult.PASS;
        List<String> rcpts = tx.recipients().stream().map(r -> r.address().toString()).toList();
        FilterInput input = new FilterInput(bytes, MessageStructure.parse(bytes), session.remote().getAddress().getHostAddress(),
                session.helo(), tx.reversePath() == null ? "" : tx.reversePath().toString(), rcpts, false, dmarcPass);
        Verdict v = pipeline().run(input);
        ClientChecks.ClientHits client = content.attachment(ClientChecks.ClientHits.class);
        FilterSettings fs = settingsFor(tx);
        if ((client != null && !client.hits().isEmpty()) || fs != settings.filter()) {
            // the DNS list hits of the client (scored, not refused, at MAIL FROM) count with the message's,
            // and the recipients' thresholds apply (the hits already carry the weights, which are global)
            List<Hit> all = new ArrayList<>(client == null ? List.of() : client.hits());
            all.addAll(v.hits());
            v = Verdict.of(all, fs);
        }
        refuseMalwareOrTempfail(session, v);
        boolean phishing = v.hits().stream().anyMatch(h -> PHISHING_HITS.contains(h.name()));
        log.info("{} filter: verdict={} score={} hits=[{}]{}", session.sessionId(), v.action().word(), Verdict.number(v.score()),
                v.hits().stream().map(h -> h.name() + " " + Verdict.number(h.weight())).collect(Collectors.joining(", ")),
                phishing ? " phishing" : "");
        switch (v.action()) {
            case REJECT -> throw new SmtpRejection(550, "5.7.1", "Message rejected by the content filter (score "
                    + Verdict.number(v.score()) + "): " + String.join(", ", v.testNames()));
            case QUARANTINE -> content.deliverLater();
            case JUNK -> {
                content.fileInto("\\Junk");
                ensureJunk(tx, session.sessionId());
            }
            case INBOX -> { }
        }
        if (phishing) content.deliverLater();
        List<String> fields = new ArrayList<>();
        fields.add(v.spamStatusField());
        if (!v.spamFlagField().isEmpty()) fields.add(v.spamFlagField());
        fields.add(new FilterMark(v.action().word(), v.score(), v.required(), phishing, explain(v)).toField());
        return fields;
    }

    /**
     * Malware is refused with 554 5.7.1 naming the signature (a virus is never held); a scanner
     * outage under {@code clamd_unavailable = "tempfail"} gives 451 4.3.0 so the client retries.
     */
    private static void refuseMalwareOrTempfail(SessionInfo session, Verdict v) throws SmtpRejection {
        for (Hit h : v.hits()) {
            if (h.name().equals("malware")) {
                log.info("{} filter: malware refused: {}", session.sessionId(), h.detail());
                dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "malware_reject");
                // RFC 5321 §4.2.3 554 transaction failed; RFC 3463 X.7.1 delivery not authorized, message refused.
                // The detail is clamd's signature names and file names made printable and bounded (ClamdReply)
                throw new SmtpRejection(554, "5.7.1", "Message refused: malware found (" + h.detail().replaceAll("\\p{Cntrl}", " ") + ")");
            }
        }
        Optional<TempFailure> t = TempFailure.of(v);
        if (t.isPresent()) {
            log.warn("{} filter: malware scanner unavailable, {} {}", session.sessionId(), t.get().code(), t.get().enhanced());
            dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "scanner_tempfail");
            throw new SmtpRejection(t.get().code(), t.get().enhanced(), t.get().text());
        }
    }

    /**
     * Submission: the message is scored with the outbound pipeline (content checks, classifier,
     * URIBL, clamd; no spoofing checks). Malware is refused; a spam score counts towards the
     * account's hold ({@link OutboundGuard}); a held message gets our verdict field as
     * {@code quarantine}, so that local delivery keeps it in the quarantine for every recipient,
     * remote ones too, instead of sending it. No {@code X-Spam-*} field is added to outgoing mail.
     */
    private List<String> outbound(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        List<String> rcpts = tx.recipients().stream().map(r -> r.address().toString()).toList();
        FilterInput input = new FilterInput(bytes, MessageStructure.parse(bytes), session.remote().getAddress().getHostAddress(),
                session.helo(), tx.reversePath() == null ? "" : tx.reversePath().toString(), rcpts, true, false);
        Verdict v = cached().outbound().run(input);
        refuseMalwareOrTempfail(session, v);
        String user = session.authenticatedUser();
        boolean hold = outbound.scored(user, v.score(), rcpts.size(), session.sessionId());
        log.info("{} filter: outbound score={} spam={} hits=[{}]{}", session.sessionId(), Verdict.number(v.score()),
                v.score() >= outbound.settings().spamScore(),
                v.hits().stream().map(h -> h.name() + " " + Verdict.number(h.weight())).collect(Collectors.joining(", ")),
                hold ? " held" : "");
        if (!hold) return List.of();
        dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "outbound_held");
        content.deliverLater();
        String why = explain(v) + "outbound_hold 0 account " + user.replaceAll("\\p{Cntrl}", " ")
                + " is held: spam-scored mail to too many recipients within an hour\n";
        return List.of(new FilterMark("quarantine", v.score(), outbound.settings().spamScore(), false, why).toField());
    }

    /** One line per hit: name, weight, detail (control characters shown as spaces). */
    static String explain(Verdict v) {
        StringBuilder sb = new StringBuilder();
        for (Hit h : v.hits()) {
            sb.append(h.name()).append(' ').append(Verdict.number(h.weight())).append(' ')
                    .append(h.detail().replaceAll("\\p{Cntrl}", " ")).append('\n');
        }
        return sb.toString();
    }

    /** RFC 6154: the recipients' accounts get a {@code \Junk} mailbox when they have none (an account made before it existed). */
    private void ensureJunk(MailTransaction tx, String sessionId) {
        Directory dir = store.directory();
        Mailboxes mb = store.mailboxes();
        for (MailTransaction.Recipient r : tx.recipients()) {
            for (Directory.Account a : dir.resolve(r.address()).accounts()) {
                if (mb.list(a.id()).stream().anyMatch(m -> "\\Junk".equalsIgnoreCase(m.specialUse()))) continue;
                String name = mb.mailbox(a.id(), "Junk").isPresent() ? "Junk-Mail" : "Junk";
                Mailboxes.MailboxResult res = mb.create(a.id(), name, "\\Junk");
                log.info("{} filter: created {} (\\Junk) for account {}: {}", sessionId, name, a.id(), res.getClass().getSimpleName());
            }
        }
    }

    @Override
    public boolean removeHeader(SessionInfo session, String name, String value) {
        // our verdict field is trusted by local delivery only because every arriving copy is removed,
        // on every listener, whether the filter runs or not
        if (name.equalsIgnoreCase(FilterMark.FIELD)) return true;
        // as RFC 8601 §5 does for Authentication-Results: spam verdicts from outside are not ours
        return session.kind() == ListenerKind.MX && (name.equalsIgnoreCase("X-Spam-Status") || name.equalsIgnoreCase("X-Spam-Flag"));
    }

    /** Parses {@code filter.vips} entries; the config check has already refused malformed ones. */
    public static List<Protection.Person> people(List<String> vips) {
        List<Protection.Person> out = new ArrayList<>();
        for (String v : vips) {
            Protection.Person p = Protection.Person.parse(v);
            if (p != null) out.add(p);
        }
        return out;
    }

}
