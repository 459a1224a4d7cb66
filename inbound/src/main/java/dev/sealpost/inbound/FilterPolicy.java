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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * Mail from our authenticated users (submission) is not filtered here.
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

    private record Cached(Pipeline pipeline, Instant built) {}

    public FilterPolicy(Store store, Settings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.classifier = new BayesClassifier(new StoreTokenTable(store.filterTokens()));
    }

    /** The pipeline over the current protected set: rebuilt at most once a minute (our domains change at run time). */
    Pipeline pipeline() {
        Cached c = cached;
        Instant now = clock.instant();
        if (c != null && Duration.between(c.built(), now).compareTo(PROTECTION_TTL) < 0) return c.pipeline();
        Set<String> domains = new LinkedHashSet<>(settings.protect());
        for (String d : store.directory().domains()) domains.add(d.toLowerCase(Locale.ROOT));
        // TODO(issue 14): our users as protected people and each recipient's known correspondents
        Protection protection = new Protection(domains, settings.vips(), Set.of());
        LookalikeDomains lookalikes = new LookalikeDomains(psl, protection.allDomains());
        List<Check> checks = List.of(new AttachmentCheck(AttachmentCheck.Settings.defaults()),
                new LinkCheck(psl, lookalikes, List.of()), new LookalikeDomainCheck(lookalikes),
                new DisplayNameCheck(protection, lookalikes), new BayesCheck(classifier));
        Pipeline p = new Pipeline(checks, settings.filter());
        cached = new Cached(p, now);
        return p;
    }

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        // TODO(issue 14): submission gets the outbound side (per-account rates, a score on outgoing
        // mail, compromised-account holds); the MX pipeline is for mail from other MTAs only
        if (session.kind() != ListenerKind.MX || !settings.enabled()) return List.of();
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
