package dev.sealpost.queue;

import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.smtp.client.TlsOutcome;
import dev.sealpost.smtp.client.TlsRequirement;
import dev.sealpost.tlspolicy.TrustStores;
import dev.sealpost.tlspolicy.dane.DaneLookup;
import dev.sealpost.tlspolicy.dane.DanePolicy;
import dev.sealpost.tlspolicy.dane.DaneTrustManager;
import dev.sealpost.tlspolicy.dane.DaneVerdict;
import dev.sealpost.tlspolicy.mtasts.ActivePolicy;
import dev.sealpost.tlspolicy.mtasts.HttpMtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsCache;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy;
import dev.sealpost.tlspolicy.mtasts.MtaStsResolver;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector.PolicyKey;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyType;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.ResultType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outbound TLS policy with DANE and MTA-STS, per MX host:
 * <ol>
 *   <li>DANE (RFC 7672) when the MX RRset and the host's address records are DNSSEC-secure: the TLSA
 *       RRset at {@code _<port>._tcp.<mxhost>}, only from an authentic answer. Usable records: STARTTLS
 *       is mandatory and the certificate must match them ({@link DaneTrustManager}, DANE-EE and DANE-TA);
 *       a failed or bogus look-up: this host is not used now (deferred, never downgraded, §2.2);
 *       secure records none of which is usable: TLS mandatory, unauthenticated (§2.2).</li>
 *   <li>Otherwise MTA-STS (RFC 8461): {@code enforce}: STARTTLS mandatory with a certificate valid
 *       for the MX name under WebPKI (§4.2), and an MX the policy does not list is not used (§4.1);
 *       {@code testing}: opportunistic, with failures reported (§5); {@code none}: no policy.</li>
 *   <li>Otherwise opportunistic STARTTLS (RFC 7435): any certificate, cleartext when not offered.</li>
 * </ol>
 * DANE takes precedence over MTA-STS (RFC 8461 §2). REQUIRETLS messages (RFC 8689 §4.2.1) get
 * DANE where it applies, else PKIX, always mandatory. TLS-RPT reports themselves (RFC 8460
 * §5.3.1) ignore DANE and MTA-STS. Every session governed here is counted in a
 * {@link TlsRptCollector} per Policy Domain (the recipient domain) and policy: success, or the
 * failure with its RFC 8460 §4.3 result type.
 *
 * <p>Thread-safe; one {@link DaneTrustManager} per connection.
 */
public final class SecureTlsPolicy implements TlsPolicy {
    private static final Logger log = LoggerFactory.getLogger(SecureTlsPolicy.class);

    /**
     * @param dane     apply DANE (needs a DNSSEC-validating resolver; without one no answer is authentic)
     * @param tlsaPort the port in TLSA names ({@code _25._tcp}); the queue's mx_port
     */
    public record Settings(boolean dane, int tlsaPort) {
        public Settings {
            if (tlsaPort < 1 || tlsaPort > 65535) throw new IllegalArgumentException("tlsaPort: 1..65535");
        }
    }

    private final Resolver resolver;
    private final MtaStsResolver mtaSts;
    private final TlsRptCollector collector;
    private final Settings settings;
    private final Clock clock;
    private final SSLSocketFactory any = TlsPolicy.trustAll();

    /**
     * @param resolver  DNS for MX, address and TLSA look-ups (authentic answers only count for DANE)
     * @param mtaSts    MTA-STS policy discovery, or null for no MTA-STS
     * @param collector where TLS-RPT results go, or null for none
     * @param clock     for DANE-TA validity checks
     */
    public SecureTlsPolicy(Resolver resolver, MtaStsResolver mtaSts, TlsRptCollector collector, Settings settings, Clock clock) {
        this.resolver = resolver;
        this.mtaSts = mtaSts;
        this.collector = collector;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * MTA-STS discovery with the standard HTTPS fetcher: {@code mta-sts.<domain>} resolved and
     * reached through {@code dialer} (the configured resolver, ADR 0006), WebPKI trust from the
     * JDK's CAs plus {@code extraCas} ({@code --tls-ca}), an in-memory cache of at most 10 000 policies.
     */
    public static MtaStsResolver mtaStsResolver(Resolver resolver, Dialer dialer, List<X509Certificate> extraCas, Clock clock) {
        return mtaStsResolver(resolver, dialer, extraCas, 443, clock);
    }

    /** As above, with the policy hosts' port: 443 (RFC 8461 §3.3) but in test labs ({@code queue.mta_sts_port}). */
    public static MtaStsResolver mtaStsResolver(Resolver resolver, Dialer dialer, List<X509Certificate> extraCas, int port, Clock clock) {
        HttpMtaStsFetcher.Settings settings = HttpMtaStsFetcher.Settings.defaults()
                .withSslContext(TrustStores.clientContext(TrustStores.trustManager(extraCas, true)));
        if (port != 443) {
            settings = settings.withPolicyUri(d -> java.net.URI.create("https://mta-sts." + d + ":" + port + "/.well-known/mta-sts.txt"));
        }
        return new MtaStsResolver(resolver, new HttpMtaStsFetcher(dialer, settings), clock, MtaStsCache.inMemory(10_000));
    }

    @Override
    public TlsDecision decide(String domain, String host, boolean requireTls) {
        return decide(domain, host, requireTls, false);
    }

    @Override
    public TlsDecision decide(String domain, String host, boolean requireTls, boolean report) {
        String d = name(domain), h = name(host);
        if (report && !requireTls) {
            // RFC 8460 §5.3.1: reports MUST NOT honour MTA-STS or DANE failures; nor are they counted in the next report
            return new TlsDecision(TlsRequirement.OPPORTUNISTIC, any, false, "opportunistic (TLS report)");
        }
        // ---- DANE first (RFC 8461 §2: it takes precedence)
        DaneLookup dane = settings.dane() ? daneLookup(d, h) : new DaneLookup.None("DANE off");
        switch (dane) {
            case DaneLookup.TempFail t -> {
                // RFC 7672 §2.2: a failed or bogus TLSA look-up: do not use this host now, never downgrade
                PolicyKey key = new PolicyKey(PolicyType.TLSA, d, List.of(), List.of(h));
                fail(key, ResultType.DNSSEC_INVALID, h, t.reason());
                return TlsDecision.refuse("DANE: " + t.reason());
            }
            case DaneLookup.Usable u -> {
                PolicyKey key = new PolicyKey(PolicyType.TLSA, d, u.records().stream().map(TlsaRecord::toString).toList(), List.of(h));
                // RFC 7672 §3.2.2: reference identifiers: the TLSA base domain (the MX host) and the next-hop domain
                DaneTrustManager tm = new DaneTrustManager(u.records(), new LinkedHashSet<>(List.of(h, d)), clock);
                return new TlsDecision(TlsRequirement.TRUST_MANAGER, TrustStores.clientContext(tm).getSocketFactory(), true,
                        "DANE", null, new Observer() {
                            @Override
                            public void established(TlsOutcome outcome) {
                                success(key);
                            }

                            @Override
                            public void failed(TlsPolicy.Failure failure, String detail) {
                                ResultType type = failure == TlsPolicy.Failure.STARTTLS_NOT_OFFERED ? ResultType.STARTTLS_NOT_SUPPORTED
                                        : tm.verdict().filter(v -> v instanceof DaneVerdict.Failed).map(v -> ResultType
                                                .of(((DaneVerdict.Failed) v).tlsRptResultType()).orElse(ResultType.VALIDATION_FAILURE))
                                        .orElse(ResultType.VALIDATION_FAILURE);
                                fail(key, type, h, detail);
                            }
                        });
            }
            case DaneLookup.UnusableOnly u -> {
                // RFC 7672 §2.2: secure TLSA records, none usable: TLS still mandatory, not authenticated
                PolicyKey key = new PolicyKey(PolicyType.TLSA, d, u.records().stream().map(TlsaRecord::toString).toList(), List.of(h));
                return requireTls
                        ? new TlsDecision(TlsRequirement.PKIX, any, true, "REQUIRETLS (unusable TLSA)", null, observer(key, h, false))
                        : new TlsDecision(TlsRequirement.OPPORTUNISTIC, any, true, "DANE (no usable TLSA record)", null, observer(key, h, false));
            }
            case DaneLookup.None n -> log.debug("DANE does not apply to {} ({}): {}", h, d, n.reason());
        }
        // ---- MTA-STS
        Optional<ActivePolicy> sts = Optional.empty();
        if (mtaSts != null) {
            MtaStsResolver.Resolution r = mtaSts.resolve(d);
            if (r.policy().isEmpty() && r.failure().isPresent()) {
                MtaStsFetcher.Failed f = r.failure().get();
                fail(new PolicyKey(PolicyType.STS, d, List.of(), List.of()), switch (f.kind()) {
                    case WEBPKI_INVALID -> ResultType.STS_WEBPKI_INVALID;
                    case POLICY_INVALID -> ResultType.STS_POLICY_INVALID;
                    case FETCH_ERROR -> ResultType.STS_POLICY_FETCH_ERROR;
                }, h, f.reason());
            }
            sts = r.policy().filter(p -> p.mode() != MtaStsPolicy.Mode.NONE);
        }
        if (sts.isPresent()) {
            ActivePolicy p = sts.get();
            PolicyKey key = new PolicyKey(PolicyType.STS, d, List.of(p.policy().toText().split("\r\n")), p.policy().mx());
            boolean enforce = p.mode() == MtaStsPolicy.Mode.ENFORCE;
            if (!p.mxMatches(h)) {
                // RFC 8461 §4.1, §5: enforce: not a valid MX, do not deliver to it; testing: deliver and report
                fail(key, ResultType.VALIDATION_FAILURE, h, "MX " + h + " is not listed in the MTA-STS policy");
                if (enforce) return TlsDecision.refuse("MX " + h + " is not listed in the MTA-STS policy of " + d);
            }
            if (enforce || requireTls) {
                // RFC 8461 §4.2: a WebPKI-valid certificate for the MX host name, checked after the handshake by the client
                return new TlsDecision(TlsRequirement.PKIX, any, true, enforce ? "MTA-STS enforce" : "REQUIRETLS (MTA-STS testing)",
                        null, observer(key, h, true));
            }
            // RFC 8461 §5: testing: deliver as without a policy, but report what enforce would have refused
            return new TlsDecision(TlsRequirement.OPPORTUNISTIC, any, false, "MTA-STS testing", null, observer(key, h, true));
        }
        // ---- no policy: opportunistic (RFC 7435), or PKIX for REQUIRETLS (RFC 8689 §4.2.1)
        PolicyKey key = PolicyKey.noPolicy(d);
        return requireTls
                ? new TlsDecision(TlsRequirement.PKIX, any, true, "REQUIRETLS", null, observer(key, h, true))
                : new TlsDecision(TlsRequirement.OPPORTUNISTIC, any, false, "opportunistic", null, observer(key, h, false));
    }

    /**
     * Counts the outcome for {@code key}: a handshake is a success unless {@code pkix} is set and the
     * recorded PKIX check failed (MTA-STS testing, where the handshake itself accepts anything).
     */
    private Observer observer(PolicyKey key, String host, boolean pkix) {
        return new Observer() {
            @Override
            public void established(TlsOutcome outcome) {
                if (!pkix || outcome.pkixValid()) success(key);
                else fail(key, classify(outcome.pkixProblem()), host, outcome.pkixProblem());
            }

            @Override
            public void failed(TlsPolicy.Failure failure, String detail) {
                fail(key, switch (failure) {
                    case STARTTLS_NOT_OFFERED -> ResultType.STARTTLS_NOT_SUPPORTED;
                    case CERTIFICATE -> classify(detail);
                    case HANDSHAKE -> ResultType.VALIDATION_FAILURE;
                }, host, detail);
            }
        };
    }

    /** RFC 8460 §4.3.1 result type for the client's PKIX problem text. */
    static ResultType classify(String problem) {
        String p = problem == null ? "" : problem.toLowerCase(Locale.ROOT);
        if (p.contains("name mismatch")) return ResultType.CERTIFICATE_HOST_MISMATCH;
        if (p.contains("expired") || p.contains("notafter") || p.contains("not yet valid")) return ResultType.CERTIFICATE_EXPIRED;
        if (p.contains("not trusted") || p.contains("no certificate")) return ResultType.CERTIFICATE_NOT_TRUSTED;
        return ResultType.VALIDATION_FAILURE;
    }

    private void success(PolicyKey key) {
        if (collector != null) collector.success(key);
    }

    private void fail(PolicyKey key, ResultType type, String host, String detail) {
        log.info("tls policy failure domain={} type={} result={} mx={} detail={}", key.policyDomain(), key.type().token(), type.token(), host, detail);
        if (collector != null) {
            // failure-reason-code: free text (RFC 8460 §4.4), bounded so that one report stays small
            String code = detail == null ? null : detail.length() > 200 ? detail.substring(0, 200) : detail;
            collector.failure(key, new TlsRptCollector.Failure(type, null, host, null, null, null, code));
        }
    }

    /** RFC 7672 §2.2.1-2.2.3: MX RRset secure, the host's addresses secure, then the TLSA RRset. */
    DaneLookup daneLookup(String domain, String host) {
        DnsAnswer<MxRecord> mx = resolver.mx(domain);
        if (mx.temporaryFailure()) return new DaneLookup.TempFail("MX look-up for " + domain + " failed: " + mx.status());
        boolean listed = mx.records().isEmpty()
                ? host.equals(domain) // RFC 5321 §5.1 implicit MX: the domain itself
                : mx.records().stream().anyMatch(r -> name(r.exchange()).equals(host));
        // RFC 7672 §2.2.1: an insecure MX RRset (or a host it does not name: a transport rule) means no DANE
        if (!listed) return new DaneLookup.None(host + " is not an MX host of " + domain);
        if (!mx.authentic()) return new DaneLookup.None("MX RRset of " + domain + " is not DNSSEC-secure");
        // RFC 7672 §2.2.2: TLSA records are only looked up when the address records are secure
        DnsAnswer<InetAddress> a = resolver.a(host);
        DnsAnswer<InetAddress> aaaa = resolver.aaaa(host);
        if (a.temporaryFailure() && aaaa.temporaryFailure()) return new DaneLookup.TempFail("address look-up for " + host + " failed: " + a.status());
        if ((!a.records().isEmpty() && !a.authentic()) || (!aaaa.records().isEmpty() && !aaaa.authentic())) {
            return new DaneLookup.None("address records of " + host + " are not DNSSEC-secure");
        }
        // RFC 7672 §2.2.3; a bogus answer is SERVFAIL from our validating resolver: TempFail
        return DanePolicy.classify(resolver.tlsa(DanePolicy.tlsaName(host, settings.tlsaPort())));
    }

    private static String name(String s) {
        String n = s.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
