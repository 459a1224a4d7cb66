package dev.sealpost.auth;

import dev.sealpost.auth.arc.ArcOutcome;
import dev.sealpost.auth.arc.ArcResult;
import dev.sealpost.auth.arc.ArcTrust;
import dev.sealpost.auth.arc.ArcVerifier;
import dev.sealpost.auth.bimi.BimiEvaluator;
import dev.sealpost.auth.bimi.BimiOutcome;
import dev.sealpost.auth.bimi.BimiSelector;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.auth.dmarc.AuthIdentity;
import dev.sealpost.auth.dmarc.DmarcEvaluator;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.auth.dmarc.FromDomain;
import dev.sealpost.auth.iprev.IprevOutcome;
import dev.sealpost.auth.iprev.IprevResult;
import dev.sealpost.auth.iprev.IprevVerifier;
import dev.sealpost.auth.results.AuthenticationResults;
import dev.sealpost.auth.spf.SpfOutcome;
import dev.sealpost.auth.spf.SpfResult;
import dev.sealpost.auth.spf.SpfSettings;
import dev.sealpost.auth.spf.SpfVerifier;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one facade over SPF, DKIM, ARC, iprev and DMARC for a received message: parses the message
 * once, runs the DNS-bound checks concurrently (RFC 7208 and RFC 6376 checks are independent;
 * DMARC needs both), bounds them all by one time budget, and returns every result as a value
 * plus the Authentication-Results header field (RFC 8601) and the DMARC disposition.
 */
public final class MessageAuthenticator {

    /**
     * @param authservId our authentication service identifier (RFC 8601 §2.5): the host name
     * @param budget     time for all checks of one message together; what is not done by then is temperror
     */
    public record Settings(String authservId, Duration budget, ArcTrust arcTrust) {
        public static Settings defaults(String authservId) {
            return new Settings(authservId, Duration.ofSeconds(5), ArcTrust.none());
        }

        public Settings withArcTrust(ArcTrust trust) {
            return new Settings(authservId, budget, trust);
        }
    }

    /** What the MX does with the message (RFC 7489 §6.3 p=, after pct sampling). */
    public enum Disposition { ACCEPT, QUARANTINE, REJECT }

    /** All results for one message. */
    public record Verdict(SpfOutcome heloSpf, SpfOutcome mailFromSpf, IprevOutcome iprev, List<DkimResult> dkim,
                          ArcOutcome arc, DmarcOutcome dmarc, BimiOutcome bimi, AuthenticationResults header,
                          Disposition disposition, boolean arcOverride) {
        /** The SPF result the MX acts on: HELO's when it fails, else MAIL FROM's (RFC 7208 §2.3, §2.4). */
        public SpfOutcome spf() {
            return heloSpf != null && heloSpf.result() == SpfResult.FAIL ? heloSpf : mailFromSpf;
        }
    }

    private final Settings settings;
    private final SpfVerifier spf;
    private final DkimVerifier dkim;
    private final IprevVerifier iprev;
    private final DmarcEvaluator dmarc;
    private final ArcVerifier arc;
    private final BimiEvaluator bimi;

    public MessageAuthenticator(Resolver resolver, PublicSuffixList psl, Clock clock, Settings settings) {
        this(resolver, psl, clock, settings, null);
    }

    /**
     * @param bimi the BIMI evaluator, or null to skip BIMI (it fetches logos over HTTPS from URLs in DNS)
     */
    public MessageAuthenticator(Resolver resolver, PublicSuffixList psl, Clock clock, Settings settings, BimiEvaluator bimi) {
        this.bimi = bimi;
        this.settings = settings;
        this.spf = new SpfVerifier(resolver, clock, SpfSettings.defaults().withMaxDuration(settings.budget()));
        this.dkim = new DkimVerifier(resolver, clock, DkimPolicy.DEFAULT);
        this.iprev = new IprevVerifier(resolver, settings.budget());
        this.dmarc = new DmarcEvaluator(resolver, psl, clock);
        this.arc = new ArcVerifier(resolver, clock);
    }

    /**
     * Checks one message.
     *
     * @param ip       the SMTP client's address
     * @param helo     its EHLO/HELO name
     * @param mailFrom the MAIL FROM address, "" for the null reverse-path
     */
    public Verdict authenticate(InetAddress ip, String helo, String mailFrom, AuthMessage message) {
        long deadline = System.nanoTime() + settings.budget().toNanos();
        String heloName = helo == null ? "" : helo;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<SpfOutcome> heloF = ex.submit(() -> spf.checkHelo(ip, heloName));
            Future<SpfOutcome> mailF = ex.submit(() -> spf.checkMailFrom(ip, mailFrom, heloName));
            Future<IprevOutcome> iprevF = ex.submit(() -> iprev.check(ip));
            Future<List<DkimResult>> dkimF = ex.submit(() -> dkim.verify(message));
            Future<ArcOutcome> arcF = ex.submit(() -> arc.verify(message));

            SpfOutcome heloSpf = await(heloF, deadline, () -> new SpfOutcome(SpfResult.TEMPERROR, "helo", heloName, "time budget exceeded", null));
            String mfDomain = mailFrom.isEmpty() ? heloName : mailFrom.substring(mailFrom.lastIndexOf('@') + 1);
            SpfOutcome mailSpf = await(mailF, deadline, () -> new SpfOutcome(SpfResult.TEMPERROR, "mailfrom", mfDomain, "time budget exceeded", null));
            IprevOutcome ipr = await(iprevF, deadline, () -> new IprevOutcome(IprevResult.TEMPERROR, ip, null, "time budget exceeded"));
            List<DkimResult> sigs = await(dkimF, deadline, List::of);
            ArcOutcome chain = await(arcF, deadline, () -> new ArcOutcome(ArcResult.FAIL, 0, "time budget exceeded", -1, List.of(), List.of(), true));

            // RFC 7489 §3.1.2: the SPF-authenticated identifier is the MAIL FROM domain, or the
            // HELO domain for the null reverse-path; DKIM's is each passing signature's d=.
            List<AuthIdentity> ids = new ArrayList<>();
            if (mailSpf.result() == SpfResult.PASS) ids.add(AuthIdentity.spf(mfDomain.toLowerCase(Locale.ROOT), true));
            for (DkimResult r : sigs) if (r.domain() != null) ids.add(AuthIdentity.dkim(r.domain(), r.passed()));
            List<String> froms = new ArrayList<>();
            for (AuthMessage.HeaderField f : message.headers("From")) froms.add(f.unfoldedValue());
            DmarcOutcome dm = dmarc.evaluate(FromDomain.extract(froms), ids);
            // BIMI only after DMARC (its gate needs a pass under an enforcing policy); it gets the
            // rest of the same budget (draft-brand-indicators-for-message-identification §8)
            BimiOutcome indicator = null;
            if (bimi != null) {
                String selector = BimiSelector.forMessage(message, sigs, dm);
                Future<BimiOutcome> bimiF = ex.submit(() -> bimi.evaluate(dm, selector));
                indicator = await(bimiF, deadline, () -> BimiOutcome.temperror("time budget exceeded"));
            }

            AuthenticationResults.Builder ar = AuthenticationResults.builder(settings.authservId());
            SpfOutcome acted = heloSpf.result() == SpfResult.FAIL ? heloSpf : mailSpf;
            if (acted == heloSpf || mailFrom.isEmpty()) ar.spfHelo(acted.result().keyword(), heloName);
            else ar.spf(mailSpf.result().keyword(), mailFrom);
            if (sigs.isEmpty()) {
                ar.add(new AuthenticationResults.MethodResult("dkim", "none"));
            }
            for (DkimResult r : sigs) ar.dkim(r.status().word(), r.domain(), r.selector(), r.headerB());
            if (dm.fromDomain() == null) {
                ar.add(new AuthenticationResults.MethodResult("dmarc", dm.result().keyword()).withReason(dm.reason()));
            } else {
                ar.dmarc(dm.result().keyword(), dm.fromDomain(),
                        dm.result() == DmarcResult.FAIL && dm.appliedPolicy() != null ? "p=" + dm.appliedPolicy().keyword() : null);
            }
            ar.iprev(ipr.result().keyword(), ip.getHostAddress());
            ar.add(chain.toMethodResult(ip.getHostAddress()));
            if (indicator != null) ar.add(indicator.toMethodResult());
            Disposition disposition = disposition(dm);
            // RFC 8617 §7.2: a DMARC failure may be overridden by a valid chain whose newest sealer we trust
            // (mailing lists and forwarders that break SPF and DKIM alignment but recorded a pass)
            boolean override = disposition != Disposition.ACCEPT && settings.arcTrust().mayOverrideDmarc(chain);
            if (override) disposition = Disposition.ACCEPT;
            if (indicator != null && disposition != Disposition.ACCEPT) indicator = null; // no logo on suspicious mail
            return new Verdict(heloSpf, mailSpf, ipr, sigs, chain, dm, indicator, ar.build(), disposition, override);
        }
    }

    private static Disposition disposition(DmarcOutcome dm) {
        if (dm.result() != DmarcResult.FAIL || dm.appliedPolicy() == null) return Disposition.ACCEPT;
        return switch (dm.appliedPolicy()) {
            case REJECT -> Disposition.REJECT;
            case QUARANTINE -> Disposition.QUARANTINE;
            case NONE -> Disposition.ACCEPT;
        };
    }

    private static <T> T await(Future<T> f, long deadline, Supplier<T> onTimeout) {
        try {
            long left = deadline - System.nanoTime();
            return f.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return onTimeout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onTimeout.get();
        } catch (ExecutionException e) {
            // a bug in a verifier must not stop mail: the check counts as a temporary error
            return onTimeout.get();
        }
    }
}
