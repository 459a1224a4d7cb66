package dev.sealpost.app;

import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.delivery.LocalDelivery;
import dev.sealpost.queue.OutboundDelivery;
import dev.sealpost.queue.ArcForwardSealer;
import dev.sealpost.queue.DomainDkimSigner;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.queue.SecureTlsPolicy;
import dev.sealpost.queue.TlsPolicy;
import dev.sealpost.queue.TlsRptSender;
import dev.sealpost.tlspolicy.mtasts.MtaStsResolver;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector;
import dev.sealpost.queue.QueueSettings;
import dev.sealpost.queue.RetrySchedule;
import dev.sealpost.dns.DnsJavaResolver;
import dev.sealpost.dns.DnsSettings;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.inbound.AuthenticationPolicy;
import dev.sealpost.inbound.ContentPolicy;
import dev.sealpost.inbound.DkimSigningPolicy;
import dev.sealpost.inbound.InboundHandlerFactory;
import dev.sealpost.inbound.InboundSettings;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.SmtpServer;
import dev.sealpost.smtp.server.SmtpServerConfig;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running server: the one place that wires store, delivery and listeners together (by
 * hand, no framework) and stops them in the reverse order.
 */
public final class SealpostServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SealpostServer.class);

    private final SealpostConfig config;
    private final Clock clock;
    private Store store;
    private LocalDelivery delivery;
    private dev.sealpost.queue.reports.DmarcReportSender dmarcReports;
    private QuarantineWiring quarantineDigest; // digest mails and their links (docs/filter.md "Quarantine digest")
    private OutboundDelivery outbound;
    private DomainDkimSigner dkimSigner;
    /** The list engine (docs/lists.md). */
    private dev.sealpost.lists.service.ListService lists;
    private Resolver resolver;
    /** The one owner of outbound name resolution and connections (ADR 0006): on {@link #resolver}. */
    private dev.sealpost.core.net.dial.Dialer dialer;
    private dev.sealpost.auth.bimi.HttpsBimiFetcher bimiFetcher;
    private TlsRptSender tlsRpt;
    private final List<SmtpServer> smtp = new ArrayList<>();
    private dev.sealpost.web.WebServer web;
    private dev.sealpost.web.MetricsEndpoint metrics;
    private final List<dev.sealpost.pop3.Pop3Server> pop3 = new ArrayList<>();
    private final List<dev.sealpost.imap.server.ImapServer> imap = new ArrayList<>();
    /** The certificate and key every listener uses, reloadable (SIGHUP); null without TLS. */
    private TlsFiles.Reloadable tlsKeys;
    private dev.sealpost.managesieve.ManageSieveServer managesieve;
    /** ACME (RFC 8555): the renewal service and the validation answers it publishes; null unless acme.enabled. */
    private dev.sealpost.app.acme.AcmeCertificates acme;
    private dev.sealpost.app.acme.AcmeChallenges acmeChallenges;
    /** The evidence log's one writer (docs/evidence.md), or null with evidence.enabled = false. */
    private dev.sealpost.app.evidence.EvidenceService evidence;

    public SealpostServer(SealpostConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Opens the store, starts delivery (which first finishes anything spooled before a crash) and the listeners. */
    public void start() throws java.io.IOException {
        // everything the config names is checked before the data directory or the database is touched
        config.checkNamedFiles();
        if (config.acme().enabled()) {
            // the listeners start with the last issued certificate, or a self-signed placeholder before the first
            dev.sealpost.app.acme.AcmeCertificates.preparePlaceholder(SealpostConfig.Acme.dir(config.server().dataDir()), config.server().hostname());
            acmeChallenges = new dev.sealpost.app.acme.AcmeChallenges();
        }
        tlsKeys = config.tls().enabled() ? TlsFiles.reloadableContext(config.tls().certificate(), config.tls().privateKey()) : null;
        for (String w : config.warnings()) log.warn("config: {}", w);
        // the Prometheus registry first, so that it sees every meter from the first one made (docs/metrics.md)
        SealpostConfig.Listeners ls = config.listeners();
        if (config.web().metrics() && (ls.http().isPresent() || ls.https().isPresent())) {
            metrics = new dev.sealpost.web.MetricsEndpoint(config.web().metricsToken());
        }
        store = Store.open(storeConfig(config, clock));
        sweepTemporaryFiles(config.server().dataDir().resolve("tmp"));
        SealpostConfig.Auth auth = config.auth();
        // one resolver (and one DNS cache) for every component
        resolver = resolver(config.dns());
        // every outbound connection (MX hosts, mta-sts.<domain>, BIMI and VMC hosts) resolves through it, never the JVM's resolver
        dialer = dialer(resolver);
        // reports others send us (DMARC aggregate, TLS-RPT) to the configured mailboxes are parsed and stored
        // forwarding (aliases to other domains, Sieve redirect) with SRS senders, vacation replies (docs/srs.md)
        dev.sealpost.queue.srs.Srs srs = srs(config.srs(), clock);
        dev.sealpost.delivery.Forwarder forwarder = new dev.sealpost.delivery.Forwarder(store, srs, clock);
        delivery = new LocalDelivery(store, Duration.ofSeconds(2), auth.reportMailboxes().isEmpty() ? null
                : new dev.sealpost.delivery.ReportIntake(store.reports(), auth.reportMailboxes()),
                new dev.sealpost.delivery.SieveFilter(store, forwarder), forwarder); // each account's active Sieve script (RFC 5228)
        store.spool().onEnqueued(delivery::wake); // what local delivery itself spools (forwarded copies, replies) goes at once
        delivery.withQuarantine(Duration.ofDays(config.filter().quarantineDays()), clock); // the filter's held messages
        lists = ListsWiring.service(config, store, resolver, clock); // distribution lists (docs/lists.md)
        delivery.withRecipientHook(lists);
        delivery.start();
        if (auth.enabled() && auth.dmarcReports()) {
            // our daily DMARC aggregate reports (RFC 7489 §7.2) from what the MX observed
            dmarcReports = new dev.sealpost.queue.reports.DmarcReportSender(store, resolver, PublicSuffixList.bundled(),
                    clock, dev.sealpost.queue.reports.DmarcReportSender.Settings.of(auth.reportFrom()), delivery::wake);
            dmarcReports.start();
        }
        // remote recipients (submission to other domains, aliases forwarding out): MX routing, retries, DSNs
        QueueSettings queueSettings = queueSettings(config);
        TlsPolicy tlsPolicy = OutboundDelivery.defaultTls(queueSettings);
        if (queueSettings.relay() == null) {
            // MX delivery: DANE, MTA-STS and TLS-RPT (a smarthost keeps the default: PKIX when we authenticate to it)
            TlsRptCollector collector = new TlsRptCollector(clock);
            SealpostConfig.Queue q = config.queue();
            MtaStsResolver sts = q.mtaSts() ? SecureTlsPolicy.mtaStsResolver(resolver, dialer, extraCas(q), q.mtaStsPort(), clock) : null;
            tlsPolicy = new SecureTlsPolicy(resolver, sts, collector, new SecureTlsPolicy.Settings(q.dane(), queueSettings.mxPort()), clock);
            tlsRpt = new TlsRptSender(store, resolver, collector,
                    TlsRptSender.Settings.defaults(config.server().hostname(), q.tlsrptOrgName()), clock, delivery::wake);
            tlsRpt.start();
        }
        outbound = new OutboundDelivery(store, resolver, queueSettings, tlsPolicy, new ArcForwardSealer(dkimSigner(), resolver, clock, config.auth().authservId(),
                config.auth().arcSealDomain()).outboundSigner(), clock, new java.util.Random(),
                delivery::wake);
        outbound.start();
        // alias expansion and submission to other domains hand recipients over in Spool.complete
        store.spool().onRemoteQueued(outbound::wake);
        // one certificate, one TLS policy per listener (core.tls): tls.profile everywhere, tls.mx_profile on port 25
        ServerTls.rejectClientRenegotiation(); // also set in Main: effective before the first server handshake of the JVM
        SSLContext context = tlsKeys == null ? null : tlsKeys.context();
        ServerTls tls = context == null ? null : ServerTls.of(context, config.tls().profile());
        ServerTls mxTls = context == null ? null : ServerTls.of(context, config.tls().mxProfile());
        if (tls != null) log.info("TLS profile {} (MX listener: {})", tls.profile().configName(), mxTls.profile().configName());
        InboundHandlerFactory handlers = new InboundHandlerFactory(store,
                new InboundSettings(config.smtp().senderMustMatch(), InboundSettings.defaults().maxReceivedHeaders(),
                        config.server().postmaster()).withLocalFiling(auth.reportMailboxes()), // ADR 0004
                policies(), config.server().dataDir().resolve("tmp"), delivery::wake, clock, srs);
        filterWiring.configure(handlers); // DNS lists, greylisting, submission rate limits (docs/filter.md)
        if (config.evidence().enabled()) {
            // signed records of every acceptance, durable before its "250" (issue 17)
            evidence = dev.sealpost.app.evidence.EvidenceService.open(config.server().dataDir(), config.server().hostname(),
                    config.evidence().tsa(), Duration.ofSeconds(config.evidence().checkpointSeconds()), store, clock,
                    config.evidence().tsaEachRecord(), Duration.ofMillis(config.evidence().timestampMillis()));
            handlers.withAcceptanceListener(evidence);
            delivery.onDelivered(evidence);
            outbound.onRelayed(evidence);
        }
        // one gate for every protocol: guesses spread over SMTP, IMAP and POP3 add up
        LoginGate gate = new LoginGate(new LoginThrottle(clock));
        var sasl = SaslMechanisms.standard(store.directory().credentials(), config.server().advertiseScramPlus());
        SealpostConfig.Smtp s = config.smtp();
        SmtpServerConfig.Limits limits = new SmtpServerConfig.Limits(s.maxLineLength(), s.maxMessageSize(),
                s.maxRecipients(), s.maxErrors(), s.idleTimeout(), Duration.ofMinutes(10), s.maxHeaderSize(), s.maxHeaderFields(),
                s.deadline());
        for (var e : Map.of(ListenerKind.MX, config.listeners().smtp(),
                ListenerKind.SUBMISSION, config.listeners().submission(),
                ListenerKind.SUBMISSIONS, config.listeners().submissions()).entrySet()) {
            Optional<InetSocketAddress> bind = e.getValue();
            if (bind.isEmpty()) continue;
            boolean submission = e.getKey() != ListenerKind.MX;
            SmtpServerConfig c = new SmtpServerConfig(config.server().hostname(), e.getKey(), bind.get(), submission ? tls : mxTls,
                    submission ? sasl : List.of(), s.allowAuthWithoutTls(), submission, limits, s.connections());
            SmtpServer server = new SmtpServer(c, handlers, gate);
            bind(switch (e.getKey()) {
                case MX -> "smtp";
                case SUBMISSION -> "submission";
                case SUBMISSIONS -> "submissions";
            }, bind.get(), server::start);
            smtp.add(server);
        }
        startImap(tls, gate, sasl);
        startPop3(tls, gate, sasl);
        startManageSieve(tls, gate, sasl);
        startWeb(tls, gate);
        startAcme();
    }

    /** ACME (RFC 8555): HTTP-01 on the HTTP listener or TLS-ALPN-01 (RFC 8737) on the HTTPS one; renewal on a timer. */
    private void startAcme() {
        SealpostConfig.Acme a = config.acme();
        if (!a.enabled()) return;
        SealpostConfig.Listeners l = config.listeners();
        dev.sealpost.app.acme.AcmeCertificates.ChallengeType type = switch (a.challenge()) {
            case "http-01" -> dev.sealpost.app.acme.AcmeCertificates.ChallengeType.HTTP_01;
            case "tls-alpn-01" -> dev.sealpost.app.acme.AcmeCertificates.ChallengeType.TLS_ALPN_01;
            default -> l.http().isPresent() || l.https().isEmpty() ? dev.sealpost.app.acme.AcmeCertificates.ChallengeType.HTTP_01
                    : dev.sealpost.app.acme.AcmeCertificates.ChallengeType.TLS_ALPN_01;
        };
        if (type == dev.sealpost.app.acme.AcmeCertificates.ChallengeType.HTTP_01 && l.http().isEmpty()) {
            throw new dev.sealpost.app.config.ConfigException("key 'listeners.http': required for acme.challenge http-01 (the CA fetches"
                    + " http://<name>/.well-known/acme-challenge/ on port 80); or set listeners.https and acme.challenge = \"tls-alpn-01\"");
        }
        if (type == dev.sealpost.app.acme.AcmeCertificates.ChallengeType.TLS_ALPN_01 && l.https().isEmpty()) {
            throw new dev.sealpost.app.config.ConfigException("key 'listeners.https': required for acme.challenge tls-alpn-01 (port 443)");
        }
        // RFC 8737 §3: an acme-tls/1 handshake gets a pending challenge's certificate or fails, never the real one
        tlsKeys.alpnChallenges(acmeChallenges);
        Store st = store;
        String host = config.server().hostname();
        java.util.function.Supplier<List<String>> names = a.names().isEmpty()
                ? () -> dev.sealpost.app.acme.AcmeCertificates.defaultNames(host, st.directory().domains()) : a::names;
        acme = new dev.sealpost.app.acme.AcmeCertificates(new dev.sealpost.app.acme.AcmeCertificates.Settings(a.directory(), a.contact(),
                a.trustCa(), a.rollKey(), type), SealpostConfig.Acme.dir(config.server().dataDir()), names, acmeChallenges, tlsKeys, clock);
        acme.start();
    }

    /** The ACME renewal service, or null unless acme.enabled. */
    public dev.sealpost.app.acme.AcmeCertificates acme() {
        return acme;
    }

    /** IMAP with STARTTLS and IMAPS (RFC 9051, RFC 8314). */
    private void startImap(ServerTls tls, LoginGate gate, List<SaslMechanism> sasl) throws java.io.IOException {
        SealpostConfig.Listeners l = config.listeners();
        SealpostConfig.Imap ic = config.imap();
        dev.sealpost.imap.server.ImapServerConfig.Limits defaults = dev.sealpost.imap.server.ImapServerConfig.Limits.defaults();
        dev.sealpost.imap.server.ImapServerConfig.Limits limits = defaults
                .withMaxConnectionsPerAccount(ic.maxConnectionsPerAccount())
                .withSizes(defaults.maxCommandBytes(), defaults.maxLiteralBytes(), ic.maxAppendSize())
                .withTimeouts(ic.idleTimeout(), defaults.preAuthTimeout())
                .withDeadline(ic.deadline())
                .withHeaderLimits(ic.maxHeaderSize(), ic.maxHeaderFields())
                .withMaxMailboxes(ic.maxMailboxes()).withMaxKeywords(ic.maxKeywords());
        for (var e : List.of(java.util.Map.entry(false, l.imap()), java.util.Map.entry(true, l.imaps()))) {
            if (e.getValue().isEmpty()) continue;
            dev.sealpost.imap.server.ImapServerConfig c = dev.sealpost.imap.server.ImapServerConfig.of(e.getValue().get(), e.getKey(),
                    tls == null ? null : tls.context(), config.server().hostname()).withTls(tls)
                    .withPlaintextAuth(ic.allowAuthWithoutTls()).withLimits(limits)
                    .withConnections(ic.connections());
            dev.sealpost.imap.server.ImapServer server = new dev.sealpost.imap.server.ImapServer(c, store, gate, sasl);
            bind(e.getKey() ? "imaps" : "imap", e.getValue().get(), server::start);
            imap.add(server);
        }
    }

    private interface Starter {
        void start() throws java.io.IOException;
    }

    /** Starts one listener; a port in use (or one we may not bind) ends start-up with a message naming it and the ways out. */
    private static void bind(String listener, InetSocketAddress at, Starter starter) throws java.io.IOException {
        try {
            starter.start();
        } catch (java.io.IOException e) {
            if (!isBindFailure(e)) throw e;
            throw bindError(listener, at, e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) return true;
        }
        return false;
    }

    private static boolean canBind(InetSocketAddress a) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(a);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The message for a listener that cannot bind: which listener and port, why, and what to do. */
    /** The SRS rewriter of {@code [srs]}, or null when it is off; the secret file is made at the first start. */
    static dev.sealpost.queue.srs.Srs srs(SealpostConfig.Srs c, Clock clock) {
        if (!c.enabled()) return null;
        try {
            return new dev.sealpost.queue.srs.Srs(dev.sealpost.queue.srs.SrsSecrets.load(c.secretFile()), c.maxAgeDays(), clock);
        } catch (java.io.IOException e) {
            throw new dev.sealpost.app.config.ConfigException("key 'srs.secret_file': " + e.getMessage(), e);
        }
    }

    static dev.sealpost.app.config.ConfigException bindError(String listener, InetSocketAddress at, Exception cause) {
        return bindError(listener, "listeners." + listener, at, cause);
    }

    static dev.sealpost.app.config.ConfigException bindError(String listener, String key, InetSocketAddress at, Exception cause) {
        String why = cause.getMessage() == null ? "" : cause.getMessage();
        boolean denied = why.toLowerCase(java.util.Locale.ROOT).contains("permission denied");
        String port = at == null ? "?" : Integer.toString(at.getPort());
        String addr = at == null ? "?" : (at.getAddress() == null ? "*" : at.getAddress().getHostAddress()) + ":" + port;
        String msg = "cannot listen for " + listener + " (" + port + ") on " + addr + ": "
                + (denied ? "permission denied (ports below 1024 need root or the capability CAP_NET_BIND_SERVICE, see docs/operations.md)"
                : "the port is already in use by another program")
                + ". Stop that program, or move Sealpost's ports: --port-offset N (serve, demo) adds N to every port,"
                + " or set the key '" + key + "' in the config (\"\" turns the listener off)";
        return new dev.sealpost.app.config.ConfigException(msg, cause);
    }

    /**
     * Reads the certificate and key files again (SIGHUP): new TLS handshakes on every listener get
     * the new pair, connections in progress keep theirs. A bad file leaves the pair in use.
     *
     * @return a line for the log saying what was loaded
     */
    public String reloadCertificates() {
        if (tlsKeys == null) return "no TLS configured: nothing to reload";
        tlsKeys.reload();
        java.security.cert.X509Certificate leaf = tlsKeys.leaf();
        return "certificate reloaded: subject=" + leaf.getSubjectX500Principal().getName() + " serial=" + leaf.getSerialNumber().toString(16)
                + " notAfter=" + leaf.getNotAfter().toInstant();
    }

    /** The configuration the server was started with. */
    public SealpostConfig config() {
        return config;
    }

    /** The bound port of the IMAP ({@code tls} false: STARTTLS) or IMAPS listener. */
    public int imapPort(boolean tls) {
        return imap.stream().filter(p -> p.config().implicitTls() == tls).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + (tls ? "IMAPS" : "IMAP") + " listener")).port();
    }

    /** POP3 with STLS and POP3S (RFC 1939, RFC 2595, RFC 8314), one maildrop lock for both (they share the store). */
    private void startPop3(ServerTls tls, LoginGate gate, List<SaslMechanism> sasl) throws java.io.IOException {
        SealpostConfig.Listeners l = config.listeners();
        for (var e : List.of(java.util.Map.entry(false, l.pop3()), java.util.Map.entry(true, l.pop3s()))) {
            if (e.getValue().isEmpty()) continue;
            dev.sealpost.pop3.Pop3ServerConfig c = dev.sealpost.pop3.Pop3ServerConfig.of(e.getValue().get(), e.getKey(),
                    tls == null ? null : tls.context(), config.server().hostname()).withTls(tls)
                    .withAllowAuthWithoutTls(config.pop3().allowAuthWithoutTls())
                    .withConnections(config.pop3().connections())
                    .withDeadline(config.pop3().deadline());
            dev.sealpost.pop3.Pop3Server server = new dev.sealpost.pop3.Pop3Server(c, store, gate, sasl);
            bind(e.getKey() ? "pop3s" : "pop3", e.getValue().get(), server::start);
            pop3.add(server);
        }
    }

    /** The bound port of the POP3 ({@code tls} false: STLS) or POP3S listener. */
    public int pop3Port(boolean tls) {
        return pop3.stream().filter(p -> p.config().implicitTls() == tls).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + (tls ? "POP3S" : "POP3") + " listener")).port();
    }

    /** ManageSieve with STARTTLS (RFC 5804), over the scripts local delivery runs. */
    private void startManageSieve(ServerTls tls, LoginGate gate, List<SaslMechanism> sasl) throws java.io.IOException {
        SealpostConfig.ManageSieve m = config.managesieve();
        if (m.listen().isEmpty()) return;
        dev.sealpost.managesieve.ManageSieveConfig c = dev.sealpost.managesieve.ManageSieveConfig.of(m.listen().get(), tls,
                        config.server().hostname())
                .withAllowAuthWithoutTls(m.allowAuthWithoutTls())
                .withQuota(sieveQuota(config))
                .withConnections(m.connections())
                .withDeadline(m.deadline());
        dev.sealpost.managesieve.ManageSieveServer server = new dev.sealpost.managesieve.ManageSieveServer(c, store, gate, sasl);
        try {
            server.start();
        } catch (java.io.IOException e) {
            if (!isBindFailure(e)) throw e;
            throw bindError("managesieve", "managesieve.listen", m.listen().get(), e);
        }
        managesieve = server;
    }

    /** The Sieve script quotas of {@code [managesieve]}. */
    public static dev.sealpost.store.SieveScripts.Quota sieveQuota(SealpostConfig config) {
        return new dev.sealpost.store.SieveScripts.Quota(config.managesieve().maxScripts(), config.managesieve().maxScriptSize());
    }

    /** The bound port of the ManageSieve listener. */
    public int manageSievePort() {
        if (managesieve == null) throw new IllegalStateException("no ManageSieve listener");
        return managesieve.port();
    }

    /** HTTP(S): MTA-STS policy hosting (RFC 8461 §3.2), autoconfig, health; after the mail listeners, whose ports autoconfig advertises. */
    private void startWeb(ServerTls tls, LoginGate gate) throws java.io.IOException {
        SealpostConfig.Listeners l = config.listeners();
        if (l.http().isEmpty() && l.https().isEmpty()) return;
        dev.sealpost.web.WebServerConfig wc = webConfig(config);
        String host = config.server().hostname();
        wc = wc.withClients(new dev.sealpost.web.WebServerConfig.ClientEndpoints(host,
                l.imaps().isEmpty() ? 0 : imapPort(true), l.imap().isEmpty() ? 0 : imapPort(false), l.pop3s().isEmpty() ? 0 : pop3Port(true),
                boundPort(ListenerKind.SUBMISSIONS, l.submissions()), boundPort(ListenerKind.SUBMISSION, l.submission()),
                managesieve == null ? 0 : managesieve.port()));
        if (l.http().isPresent()) wc = wc.withHttp(l.http().get());
        // RFC 8737 §6.2: with ACME the HTTPS listener also accepts acme-tls/1 (TLS-ALPN-01 validation)
        if (l.https().isPresent()) wc = wc.withHttps(l.https().get(), acmeChallenges == null ? tls : tls.withAlpn("http/1.1", "acme-tls/1"));
        web = new dev.sealpost.web.WebServer(wc, store.directory());
        web.route(dev.sealpost.web.WkdHosting.PREFIX, wkdHosting(store));
        if (acmeChallenges != null) web.acmeChallenges(acmeChallenges::httpKeyAuthorization); // RFC 8555 §8.3
        if (evidence != null) web.addRoute(dev.sealpost.app.evidence.EvidenceService.PREFIX, evidence.route());
        if (config.web().api() && l.https().isPresent()) {
            // the admin API (docs/api.md): HTTPS only, logins through the same gate as SMTP, IMAP and POP3 (ADR 0007)
            // the web admin (docs/web-admin.md): cookie sessions with CSRF tokens on the same API
            var adminUi = new dev.sealpost.web.admin.AdminUi(new dev.sealpost.web.admin.WebSessions(clock), store.directory(),
                    store.apiAccess(), store.totp(), gate, clock);
            web.exchangeRoute(dev.sealpost.web.api.AdminApi.PREFIX, new dev.sealpost.web.api.AdminApi(store,
                    new dev.sealpost.web.api.ApiAuthenticator(store.directory(), store.apiAccess(), gate, clock),
                    new dev.sealpost.app.cli.AdminApiHooks(store, config, clock), clock, config.web().apiMaxBody()).sessions(adminUi));
            web.exchangeRoute(dev.sealpost.web.admin.AdminUi.PREFIX, adminUi);
        }
        ListsWiring.routes(web, lists); // RFC 8058 one-click unsubscribe
        if (l.https().isPresent()) {
            quarantineDigest = QuarantineWiring.of(config, store, clock);
            quarantineDigest.routes(web); // the quarantine digest's release and delete links
        }
        if (metrics != null) {
            Store st = store;
            metrics.gauge(dev.sealpost.core.metrics.Meters.QUEUE_DEPTH, "Remote deliveries queued and not yet settled", st,
                    x -> x.outbound().depth().pendingDeliveries());
            metrics.gauge(dev.sealpost.core.metrics.Meters.QUEUE_OLDEST_AGE, "Age of the oldest message with an unsettled remote delivery", st,
                    x -> {
                        java.time.Instant oldest = x.outbound().depth().oldestReceived();
                        return oldest == null ? 0 : Math.max(0, java.time.Duration.between(oldest, java.time.Instant.now()).toMillis() / 1000.0);
                    });
            web.metrics(metrics);
        }
        try {
            web.start();
        } catch (java.io.IOException e) {
            if (!isBindFailure(e)) throw e;
            // the JDK's HTTP server does not say which address failed: find the one that cannot be bound now
            String key = "http";
            InetSocketAddress at = l.http().orElse(null);
            if (l.https().isPresent() && (at == null || canBind(at))) {
                key = "https";
                at = l.https().get();
            }
            throw bindError(key, at, e);
        }
        if (quarantineDigest != null) quarantineDigest.start(QuarantineWiring.webBase(config, web.httpsPort()), delivery::wake);
    }

    /** The [web] settings as the web module's configuration, without listeners (also for `dns records`). */
    public static dev.sealpost.web.WebServerConfig webConfig(SealpostConfig config) {
        SealpostConfig.Web w = config.web();
        return dev.sealpost.web.WebServerConfig.defaults(config.server().hostname())
                .withMtaSts(dev.sealpost.web.WebServerConfig.MtaStsMode.of(w.mtaStsMode()).orElseThrow(), w.mtaStsMx(), w.mtaStsMaxAge())
                .withMaxInFlight(w.maxRequestsInFlight());
    }

    private int boundPort(ListenerKind kind, Optional<InetSocketAddress> a) {
        if (a.isEmpty()) return 0;
        return smtp.stream().filter(s -> s.config().kind() == kind).findFirst().map(SmtpServer::port).orElse(0);
    }

    /** The bound port of the HTTP ({@code tls} false) or HTTPS listener. */
    public int httpPort(boolean tls) {
        if (web == null) throw new IllegalStateException("no HTTP listener");
        int p = tls ? web.httpsPort() : web.httpPort();
        if (p < 0) throw new IllegalStateException("no " + (tls ? "HTTPS" : "HTTP") + " listener");
        return p;
    }

    /** The outbound queue's settings from {@code [queue]} (EHLO name and Reporting-MTA: server.hostname). */
    public static QueueSettings queueSettings(SealpostConfig config) {
        SealpostConfig.Queue q = config.queue();
        java.util.Map<String, QueueSettings.HostPort> rules = new java.util.HashMap<>();
        q.transports().forEach((d, hp) -> rules.put(d, QueueSettings.HostPort.parse(hp, 25)));
        QueueSettings s = QueueSettings.defaults(config.server().hostname()).withMxPort(q.mxPort())
                .withRetry(RetrySchedule.defaults().withMaxAge(Duration.ofHours(q.maxAgeHours())))
                .withDelayWarning(Duration.ofHours(q.delayWarningHours()))
                .withConcurrencyPerDomain(q.concurrencyPerDomain()).withTransports(rules);
        if (q.tlsCa() != null) {
            // --tls-ca / queue.tls_ca: extra anchors for the PKIX check of STARTTLS (MTA-STS enforce, REQUIRETLS, smarthost)
            s = s.withClient(s.client().withPkixTrust(dev.sealpost.tlspolicy.TrustStores.trustManager(extraCas(q), true)));
        }
        if (q.relayHost() != null) {
            s = s.withRelay(new QueueSettings.HostPort(q.relayHost(), q.relayPort()),
                    q.relayUser(), q.relayPassword() == null ? null : q.relayPassword().toCharArray());
        }
        return s;
    }

    /** Key discovery (WKD over HttpsGet through our resolver, OPENPGPKEY/SMIMEA); WKD hosts trusted like MTA-STS hosts (queue.tls_ca too). */
    private dev.sealpost.inbound.secure.discovery.KeyDiscovery keyDiscovery() {
        dev.sealpost.core.net.dial.HttpsGet https = new dev.sealpost.core.net.dial.HttpsGet(dialer,
                dev.sealpost.tlspolicy.TrustStores.clientContext(dev.sealpost.tlspolicy.TrustStores.trustManager(extraCas(config.queue()), true)),
                "Sealpost key discovery");
        return new dev.sealpost.inbound.secure.discovery.KeyDiscovery(store.keys(), resolver, https, clock,
                new dev.sealpost.inbound.secure.discovery.KeyDiscovery.Settings(true, true, config.secure().wkdPort()));
    }

    /** The CA certificates of {@code queue.tls_ca} (checked at config load), or none. */
    private static List<java.security.cert.X509Certificate> extraCas(SealpostConfig.Queue q) {
        if (q.tlsCa() == null) return List.of();
        try {
            return dev.sealpost.tlspolicy.TrustStores.readCertificates(q.tlsCa());
        } catch (java.io.IOException e) {
            throw new dev.sealpost.app.config.ConfigException("key 'queue.tls_ca': " + e.getMessage());
        }
    }

    private static Map<String, MessageAuthenticator.Disposition> dispositions(Map<String, String> overrides) {
        Map<String, MessageAuthenticator.Disposition> out = new java.util.HashMap<>();
        overrides.forEach((domain, p) -> out.put(domain, switch (p) {
            case "none" -> MessageAuthenticator.Disposition.ACCEPT;
            case "quarantine" -> MessageAuthenticator.Disposition.QUARANTINE;
            default -> MessageAuthenticator.Disposition.REJECT;
        }));
        return out;
    }

    /** One DKIM signer (and its key cache) for submission and for the mail we generate (DSNs, reports). */
    private DomainDkimSigner dkimSigner() {
        if (dkimSigner == null) dkimSigner = new DomainDkimSigner(store.directory(), clock, SignOptions.DEFAULT);
        return dkimSigner;
    }

    /** The content policies every received message passes, in order. */
    private List<ContentPolicy> policies() throws java.io.IOException {
        List<ContentPolicy> p = new ArrayList<>();
        SealpostConfig.Auth a = config.auth();
        if (a.enabled()) {
            dev.sealpost.auth.bimi.BimiEvaluator bimi = null;
            if (a.bimi().enabled()) {
                List<java.security.cert.X509Certificate> roots = new ArrayList<>();
                for (java.nio.file.Path f : a.bimi().markRoots()) roots.addAll(dev.sealpost.tlspolicy.TrustStores.readCertificates(f));
                bimiFetcher = new dev.sealpost.auth.bimi.HttpsBimiFetcher(dialer, dev.sealpost.auth.bimi.HttpsBimiFetcher.Settings.defaults());
                bimi = new dev.sealpost.auth.bimi.BimiEvaluator(resolver, PublicSuffixList.bundled(), bimiFetcher, clock,
                        dev.sealpost.auth.bimi.BimiEvaluator.Settings.defaults().withMarkRoots(roots, a.bimi().requireEvidence()));
            }
            MessageAuthenticator auth = new MessageAuthenticator(resolver, PublicSuffixList.bundled(), clock,
                    MessageAuthenticator.Settings.defaults(a.authservId())
                            .withArcTrust(new dev.sealpost.auth.arc.ArcTrust(a.trustedArcSealers())), bimi);
            p.add(new AuthenticationPolicy(auth, a.authservId(), new AuthenticationPolicy.Settings(a.dmarcReject(), a.trustedForwarders(), dispositions(a.dmarcOverrides())),
                    a.dmarcReports() ? store.reports()::recordObservation : o -> { }));
        }
        // S/MIME and OpenPGP gateway (issue 13, docs/keys.md "Policy"): at the MX decrypt, verify, collect keys
        // (before the filter, which then reads the plaintext); at submission sign and encrypt (before DKIM signs the result)
        dev.sealpost.inbound.secure.SecureKeys secureKeys = new dev.sealpost.inbound.secure.SecureKeys(store.keys(), store.directory(), clock);
        if (config.secure().enabled()) p.add(new dev.sealpost.inbound.secure.ReceptionSecurity(secureKeys, a.authservId(), clock));
        p.add(filterPolicy()); // after authentication: it reads the DMARC result of the From domain
        if (config.secure().enabled()) p.add(new dev.sealpost.inbound.secure.SubmissionSecurity(secureKeys, config.secure().subjectTag(), clock,
                config.secure().discover() ? keyDiscovery() : null, dev.sealpost.inbound.secure.SubmissionSecurity.DISCOVERY_BUDGET));
        // submission: DKIM-sign mail from our domains with every active key (RSA and Ed25519)
        p.add(new DkimSigningPolicy(dkimSigner()));
        return p;
    }

    /**
     * The threat filter at the MX ({@code [filter]}, docs/filter.md "In the server"). Always in the
     * chain: when {@code filter.enabled} is false it scores nothing but still removes the verdict
     * fields that arrive from outside, which local delivery would otherwise trust.
     */
    private dev.sealpost.inbound.FilterPolicy filterPolicy() {
        SealpostConfig.Filter f = config.filter();
        dev.sealpost.filter.FilterSettings d = dev.sealpost.filter.FilterSettings.defaults();
        dev.sealpost.filter.FilterSettings fs = new dev.sealpost.filter.FilterSettings(f.rejectScore(), f.junkScore(), f.weights(), d.actions());
        filterWiring = new FilterWiring(config, store, resolver, clock, delivery::wake);
        return filterWiring.configure(new dev.sealpost.inbound.FilterPolicy(store, new dev.sealpost.inbound.FilterPolicy.Settings(f.enabled(), fs, f.protect(),
                dev.sealpost.inbound.FilterPolicy.people(f.vips())), clock)); // clamd, URIBL, the outbound side
    }

    /** The filter's network checks and outbound side, built with the content policies. */
    private FilterWiring filterWiring;

    /** Outbound connections through {@code resolver}: AAAA then A, 10 s per address (ADR 0006). */
    public static dev.sealpost.core.net.dial.Dialer dialer(Resolver resolver) {
        return new dev.sealpost.core.net.dial.Dialer(new dev.sealpost.dns.DnsHostResolver(resolver), Duration.ofSeconds(10));
    }

    /** The resolver for the [dns] settings: a zone file only, or dnsjava with DNSSEC validation. */
    public static Resolver resolver(SealpostConfig.Dns d) throws java.io.IOException {
        if (d.zoneFile() != null) return ZoneResolver.fromMasterFile(d.zoneFile());
        return new DnsJavaResolver(new DnsSettings(d.servers(), d.timeout(), 1, d.dnssec(), d.trustAnchors(), 10_000));
    }

    /** Content buffers of sessions that a crash cut off: never acknowledged, so nothing is lost by deleting them. */
    private static void sweepTemporaryFiles(java.nio.file.Path tmp) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(tmp)) return;
        try (var files = java.nio.file.Files.list(tmp)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".tmp")) java.nio.file.Files.deleteIfExists(f);
            }
        }
    }

    /** The bound port of a listener (after start; useful with port 0). */
    public int port(ListenerKind kind) {
        return smtp.stream().filter(s -> s.config().kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind + " listener")).port();
    }

    public Store store() {
        return store;
    }

    /** The evidence log service, or null when evidence.enabled is false. */
    public dev.sealpost.app.evidence.EvidenceService evidence() {
        return evidence;
    }

    public static StoreConfig storeConfig(SealpostConfig config, Clock clock) {
        return new StoreConfig(config.server().dataDir(), config.store().jdbcUrl(), config.store().user(),
                config.store().password(), clock);
    }

    @Override
    public void close() {
        if (acme != null) acme.close();
        acme = null;
        for (SmtpServer s : smtp) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("closing listener failed", e);
            }
        }
        smtp.clear();
        for (dev.sealpost.imap.server.ImapServer i : imap) i.close();
        imap.clear();
        for (dev.sealpost.pop3.Pop3Server p : pop3) p.close();
        pop3.clear();
        if (managesieve != null) managesieve.close();
        managesieve = null;
        if (quarantineDigest != null) quarantineDigest.close();
        if (web != null) web.close();
        if (metrics != null) metrics.close();
        if (tlsRpt != null) tlsRpt.close();
        if (outbound != null) outbound.close();
        if (bimiFetcher != null) bimiFetcher.close();
        if (dmarcReports != null) dmarcReports.close();
        if (delivery != null) delivery.close();
        if (evidence != null) evidence.close(); // a last checkpoint covering every record
        evidence = null;
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                log.warn("closing store failed", e);
            }
        }
        log.info("stopped");
    }

    /** WKD hosting of every local account's current OpenPGP certificate (issue 13; docs/keys.md). */
    public static dev.sealpost.web.WkdHosting wkdHosting(Store store) {
        return new dev.sealpost.web.WkdHosting(store.directory()::isLocalDomain, (domain, hash) -> {
            for (dev.sealpost.store.Keys.OwnKey k : store.keys().currentOwnInDomain(domain, dev.sealpost.store.Keys.Type.OPENPGP)) {
                String local = k.address().substring(0, k.address().lastIndexOf('@'));
                if (dev.sealpost.secure.openpgp.WebKeyDirectory.hash(local).equals(hash)) return java.util.Optional.of(k.publicKey());
            }
            return java.util.Optional.empty();
        });
    }
}
