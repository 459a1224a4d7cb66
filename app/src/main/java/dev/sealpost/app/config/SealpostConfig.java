package dev.sealpost.app.config;

import dev.sealpost.core.tls.TlsProfile;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The static configuration: one TOML file (see {@code conf/sealpost.toml} for every key with
 * its default). Dynamic data (domains, accounts, aliases) lives in the database, not here.
 */
public record SealpostConfig(Server server, Store store, Tls tls, Listeners listeners, Smtp smtp, Dns dns, Auth auth, Queue queue,
                             Imap imap, Pop3 pop3, Web web, Accounts accounts, Log log, ManageSieve managesieve,
                             Srs srs, Filter filter, Acme acme, Evidence evidence, Secure secure) {

    /**
     * {@code [srs]}: the Sender Rewriting Scheme for mail we forward to other domains (aliases,
     * Sieve redirect) and for the bounces that come back (docs/srs.md).
     *
     * @param enabled    {@code srs.enabled} (default true)
     * @param maxAgeDays {@code srs.max_age_days}: how long a rewritten address is accepted back (default 21)
     * @param secretFile {@code srs.secret_file}: the secrets, one a line, first signs (default {@code srs-secrets}
     *                   in the data directory; created owner-only at the first start)
     */
    public record Srs(boolean enabled, int maxAgeDays, Path secretFile) {}

    /**
     * {@code [filter]}: the threat filter at the MX (docs/filter.md "In the server").
     *
     * @param enabled        {@code filter.enabled}: run the pipeline on mail received at the MX (default true)
     * @param rejectScore    {@code filter.reject_score}: refuse with 550 5.7.1 at or above (default 15)
     * @param junkScore      {@code filter.junk_score}: file into Junk at or above (default 6)
     * @param quarantineDays {@code filter.quarantine_days}: held messages are purged after this many days (default 30)
     * @param protect        {@code filter.protect}: domains guarded against lookalikes besides our own
     * @param vips           {@code filter.vips}: protected people, {@code "Name <address>"}
     * @param weights        {@code [filter.weights]}: per-hit weight overrides by hit name
     * @param net            clamd, DNS lists, greylisting and the outbound side at submission
     * @param overrides      {@code [filter.overrides]}: thresholds per recipient domain or address (lower case),
     *                       each complete (a value not given is the global one)
     * @param quarantineDigest   {@code filter.quarantine_digest}: least time between two quarantine digests to one
     *                           account ("daily" default, "hourly"), or null for "off" (docs/filter.md "Quarantine digest")
     * @param quarantineLinkDays {@code filter.quarantine_link_days}: how long a digest's links work (default 7)
     */
    public record Filter(boolean enabled, double rejectScore, double junkScore, int quarantineDays, List<String> protect,
                         List<String> vips, java.util.Map<String, Double> weights, FilterNet net,
                         java.util.Map<String, Thresholds> overrides, Duration quarantineDigest, int quarantineLinkDays) {
        public Filter {
            protect = List.copyOf(protect);
            vips = List.copyOf(vips);
            weights = java.util.Map.copyOf(weights);
            overrides = java.util.Map.copyOf(overrides);
        }
    }

    /** One {@code [filter.overrides]} entry: the thresholds for a recipient domain or address. */
    public record Thresholds(double rejectScore, double junkScore) {}

    /**
     * The network checks of {@code [filter]} in the SMTP sessions, and the outbound side at
     * submission (docs/filter.md "In the server"). Off by default except the outbound hold.
     *
     * @param clamd                  {@code filter.clamd}: clamd's "HOST:PORT" or socket path; "" for no malware scanning
     * @param clamdAccept            {@code filter.clamd_unavailable = "accept"}: clamd down means accept and mark
     *                               (default {@code "tempfail"}: 451 4.3.0)
     * @param clamdTimeoutSeconds    {@code filter.clamd_timeout_seconds} (default 30)
     * @param clamdMaxBytes          {@code filter.clamd_max_bytes}: larger messages and parts are not scanned (default 25 MiB)
     * @param dnsbl                  {@code filter.dnsbl}: client IP block lists (RFC 5782 zones)
     * @param dnsblReject            {@code filter.dnsbl_policy = "reject"} (default): a listed client is refused at MAIL
     *                               with 554 5.7.1; {@code "score"}: the listing adds {@code dnsbl_weight}
     * @param dnsblWeight            {@code filter.dnsbl_weight} (default 5)
     * @param dnswl                  {@code filter.dnswl}: client IP allow lists
     * @param dnswlWeight            {@code filter.dnswl_weight} (default -5)
     * @param uribl                  {@code filter.uribl}: domain lists for the links in the body
     * @param uriblWeight            {@code filter.uribl_weight} (default 5)
     * @param greylist               {@code filter.greylist} (default false)
     * @param greylistDelaySeconds   {@code filter.greylist_delay_seconds} (default 300)
     * @param greylistRememberDays   {@code filter.greylist_remember_days} (default 36)
     * @param greylistAllow          {@code filter.greylist_allow}: networks, sender addresses or domains never greylisted
     * @param messagesPerHour        {@code filter.submission_messages_per_hour}: per account, 0 for no limit
     * @param recipientsPerHour      {@code filter.submission_recipients_per_hour}: per account, 0 for no limit
     * @param outboundSpamScore      {@code filter.outbound_spam_score}: an outgoing message at or above counts as spam (default 6)
     * @param outboundHoldRecipients {@code filter.outbound_hold_recipients}: spam-scored recipients in an hour that
     *                               hold the account's outgoing mail (default 50; 0 for never)
     */
    public record FilterNet(String clamd, boolean clamdAccept, int clamdTimeoutSeconds, long clamdMaxBytes,
                            List<String> dnsbl, boolean dnsblReject, double dnsblWeight, List<String> dnswl, double dnswlWeight,
                            List<String> uribl, double uriblWeight, boolean greylist, int greylistDelaySeconds,
                            int greylistRememberDays, List<String> greylistAllow, int messagesPerHour, int recipientsPerHour,
                            double outboundSpamScore, int outboundHoldRecipients) {
        public FilterNet {
            dnsbl = List.copyOf(dnsbl);
            dnswl = List.copyOf(dnswl);
            uribl = List.copyOf(uribl);
            greylistAllow = List.copyOf(greylistAllow);
        }
    }


    /**
     * {@code [acme]}: certificates from an ACME CA (RFC 8555). When enabled, the certificate and key
     * of every listener live in {@code <data_dir>/acme/} and {@code tls.certificate} must be unset.
     *
     * @param enabled   {@code acme.enabled} (default false)
     * @param directory {@code acme.directory}: the CA's directory URL (default Let's Encrypt's production directory)
     * @param contact   {@code acme.contact}: a {@code mailto:} URI for the account, or "" for none
     * @param trustCa   {@code acme.trust_ca}: PEM root(s) trusted for the directory's HTTPS (a test CA such as
     *                  Pebble's), or null for the JDK's trust store
     * @param names     {@code acme.names}: the names certified; empty means server.hostname plus {@code mta-sts.<d>}
     *                  and {@code autoconfig.<d>} of every local domain (read at each renewal)
     * @param challenge {@code acme.challenge}: "http-01", "tls-alpn-01" or "auto" (HTTP-01 when there is an HTTP
     *                  listener, else TLS-ALPN-01 on the HTTPS listener)
     * @param rollKey   {@code acme.roll_key}: a new key at each renewal (default false: the key is kept, so
     *                  DANE TLSA "3 1 1" records stay valid)
     */
    public record Acme(boolean enabled, String directory, String contact, Path trustCa, List<String> names, String challenge,
                       boolean rollKey) {
        /** Where the account key, certificate and key are kept. */
        public static Path dir(Path dataDir) {
            return dataDir.resolve("acme");
        }
    }


    /**
     * {@code [evidence]}: signed evidence records in the transparency log (docs/evidence.md).
     *
     * @param enabled {@code evidence.enabled}: record submissions, receptions, deliveries and relays (default true)
     * @param tsa     {@code evidence.tsa}: RFC 3161 time stamps from the server's own TSA (internal CA in the data directory; default true)
     * @param checkpointSeconds {@code evidence.checkpoint_interval_seconds}: how often a new checkpoint is signed when the log grew (default 60)
     * @param tsaEachRecord {@code evidence.tsa_each_record}: a token per record before its "250" instead of tree-head tokens (default false)
     * @param timestampMillis {@code evidence.timestamp_interval_ms}: how often the TSA stamps the tree head when the log grew (default 1000)
     */
    public record Evidence(boolean enabled, boolean tsa, long checkpointSeconds, boolean tsaEachRecord, long timestampMillis) {}

    /**
     * {@code [secure]}: the S/MIME and OpenPGP gateway (docs/keys.md "Policy"; the policies are data: {@code keys policy}).
     *
     * @param enabled    {@code secure.enabled}: sign/encrypt at submission, verify/decrypt/collect keys at the MX (default true)
     * @param subjectTag {@code secure.subject_tag}: a Subject containing it asks for encryption (removed before sending; default "[secure]", "" for none)
     * @param discover   {@code secure.discover}: find remote recipients' keys by WKD, OPENPGPKEY and SMIMEA (default true; docs/keys.md "Discovery")
     * @param wkdPort    {@code secure.wkd_port}: the port of WKD hosts (443; another only in test labs)
     */
    public record Secure(boolean enabled, String subjectTag, boolean discover, int wkdPort) {}

    /**
     * {@code [accounts]}: the password policy of every place a password is set (account add,
     * passwd, the demo's --password).
     *
     * @param passwordMinLength {@code accounts.password_min_length}: fewest characters (default 12)
     */
    public record Accounts(int passwordMinLength) {
        public static final int DEFAULT_PASSWORD_MIN_LENGTH = 12;
    }

    /**
     * {@code [log]}: where and how the server logs.
     *
     * @param level  {@code log.level}: error, warn, info, debug or trace (default info)
     * @param file   {@code log.file}: append to this file instead of standard error, or null
     * @param format {@code log.format}: "text" (one line per event) or "json" (one JSON object per line, same fields)
     */
    public record Log(String level, Path file, String format) {}

    /**
     * {@code [managesieve]}: the ManageSieve listener (RFC 5804) and the Sieve script quotas.
     *
     * @param listen              {@code managesieve.listen}, empty when {@code managesieve.enabled} is false
     * @param allowAuthWithoutTls AUTHENTICATE before STARTTLS, key {@code managesieve.allow_plaintext_auth}
     * @param maxScripts          scripts per account ({@code managesieve.max_scripts}, 0: no limit)
     * @param maxScriptSize       octets per script ({@code managesieve.max_script_size}, 0: no limit)
     * @param connections         the listener's connection limits ({@link #connectionLimits})
     * @param deadline            the per-command deadline, key {@code managesieve.command_deadline_seconds}
     */
    public record ManageSieve(Optional<InetSocketAddress> listen, boolean allowAuthWithoutTls, int maxScripts, long maxScriptSize,
                              dev.sealpost.core.net.ConnectionLimits connections, dev.sealpost.core.io.CommandDeadline.Settings deadline) {}

    /**
     * {@code [imap]}: the IMAP listeners' policy and limits.
     *
     * @param allowAuthWithoutTls     allow LOGIN and AUTHENTICATE (any mechanism) before TLS, key
     *                                {@code imap.allow_plaintext_auth} (never on the Internet)
     * @param maxAppendSize           largest message APPEND accepts (APPENDLIMIT, RFC 7889)
     * @param maxConnectionsPerAccount simultaneous IMAP connections of one account
     * @param idleTimeout             autologout of an authenticated session (RFC 9051 §5.4: at least 30 minutes)
     * @param connections             each IMAP listener's connection limits ({@link #connectionLimits})
     * @param deadline                the per-command deadline, key {@code imap.command_deadline_seconds}
     * @param maxHeaderSize           most octets of an APPENDed message's header section, key {@code imap.max_header_size}
     * @param maxHeaderFields         most header fields in it, key {@code imap.max_header_fields}
     * @param maxMailboxes            most mailboxes of one account, key {@code imap.max_mailboxes}
     * @param maxKeywords             most distinct keywords in one mailbox, key {@code imap.max_keywords}
     */
    public record Imap(boolean allowAuthWithoutTls, long maxAppendSize, int maxConnectionsPerAccount,
                       Duration idleTimeout, dev.sealpost.core.net.ConnectionLimits connections,
                       dev.sealpost.core.io.CommandDeadline.Settings deadline, int maxHeaderSize, int maxHeaderFields,
                       int maxMailboxes, int maxKeywords) {}

    /**
     * {@code [pop3]}.
     *
     * @param allowAuthWithoutTls allow USER/PASS and AUTH (any mechanism) before TLS, key
     *                            {@code pop3.allow_plaintext_auth} (never on the Internet)
     * @param connections         each POP3 listener's connection limits ({@link #connectionLimits})
     * @param deadline            the per-command deadline, key {@code pop3.command_deadline_seconds}
     */
    public record Pop3(boolean allowAuthWithoutTls, dev.sealpost.core.net.ConnectionLimits connections,
                       dev.sealpost.core.io.CommandDeadline.Settings deadline) {}

    /**
     * {@code [web]}: what the HTTP(S) listeners serve.
     *
     * @param mtaStsMode   RFC 8461 §3.2 policy mode we publish: enforce, testing or none
     * @param mtaStsMx     MX patterns of the policy (default: server.hostname)
     * @param mtaStsMaxAge policy max_age in seconds
     */
    /**
     * @param metrics      serve {@code /metrics} (Prometheus) on the web listeners, key {@code web.metrics}
     * @param metricsToken a bearer token that admits non-loopback scrapers, key {@code web.metrics_token} (empty: loopback only)
     * @param api          serve the admin API under /api/v1 on the HTTPS listener, key {@code web.api} (docs/api.md)
     * @param apiMaxBody   largest API request body in octets (more: 413), key {@code web.api_max_body}
     * @param maxRequestsInFlight requests handled at once on the web listeners, key {@code web.max_requests_in_flight};
     *                     one more gets 503 with Retry-After
     */
    public record Web(String mtaStsMode, List<String> mtaStsMx, long mtaStsMaxAge, boolean metrics, String metricsToken,
                      boolean api, int apiMaxBody, int maxRequestsInFlight) {
        @Override
        public String toString() { // never the token
            return "Web[mtaStsMode=" + mtaStsMode + ", mtaStsMx=" + mtaStsMx + ", mtaStsMaxAge=" + mtaStsMaxAge
                    + ", metrics=" + metrics + ", metricsToken=" + (metricsToken.isEmpty() ? "" : "***")
                    + ", api=" + api + ", apiMaxBody=" + apiMaxBody + ", maxRequestsInFlight=" + maxRequestsInFlight + "]";
        }
    }


    /**
     * {@code [queue]}: the outbound queue (remote delivery). EHLO and the DSN Reporting-MTA use
     * {@code server.hostname}.
     *
     * @param relayHost            smarthost name or IP literal taking all remote mail, or null for MX routing
     * @param relayPort            its port (default 25)
     * @param relayUser            AUTH user at the smarthost, or null
     * @param relayPassword        AUTH password, or null (a secret: never printed)
     * @param mxPort               port of MX hosts (25)
     * @param maxAgeHours          give up and bounce after this many hours (120 = 5 days)
     * @param delayWarningHours    send one delay DSN after this many hours (4)
     * @param concurrencyPerDomain most simultaneous connections per destination domain (4)
     * @param transports           per-domain routes: lower-case domain to {@code host:port}
     * @param dane                 DANE for SMTP (RFC 7672) on MX connections (needs dns.dnssec)
     * @param mtaSts               MTA-STS (RFC 8461) on MX connections
     * @param tlsCa                extra PEM CA certificates trusted for STARTTLS (PKIX) and MTA-STS fetches, or null
     * @param tlsrptOrgName        organization-name in our TLS-RPT reports (RFC 8460 §4.4); default server.hostname
     * @param mtaStsPort           port of {@code https://mta-sts.<domain>} policy hosts (443; RFC 8461 §3.3 fixes it: test labs only)
     */
    public record Queue(String relayHost, int relayPort, String relayUser, String relayPassword, int mxPort, int maxAgeHours,
                        int delayWarningHours, int concurrencyPerDomain, java.util.Map<String, String> transports,
                        boolean dane, boolean mtaSts, Path tlsCa, String tlsrptOrgName, int mtaStsPort) {
        @Override
        public String toString() {
            return "Queue[relay=" + relayHost + ":" + relayPort + ", user=" + relayUser + ", mxPort=" + mxPort + ", maxAgeHours="
                    + maxAgeHours + ", delayWarningHours=" + delayWarningHours + ", perDomain=" + concurrencyPerDomain
                    + ", transports=" + transports + ", dane=" + dane + ", mtaSts=" + mtaSts + ", tlsCa=" + tlsCa
                    + ", tlsrptOrgName=" + tlsrptOrgName + ", mtaStsPort=" + mtaStsPort + "]";
        }
    }

    /**
     * {@code [auth]}: sender authentication at the MX.
     *
     * @param enabled           run SPF, DKIM, iprev and DMARC on mail arriving at the MX
     * @param authservId        our authserv-id in Authentication-Results (default: server.hostname)
     * @param dmarcReject       answer DMARC p=reject with 550 5.7.1 (false: only record the result)
     * @param trustedForwarders clients never refused for DMARC (forwarders, lists), as CIDRs
     * @param trustedArcSealers ARC sealer domains whose valid chain may override a DMARC failure (RFC 8617 §7.2)
     * @param dmarcReports      record DMARC results at the MX and send daily aggregate reports to rua (RFC 7489 §7.2)
     * @param reportFrom        From and MAIL FROM of the reports we send (default postmaster@server.hostname)
     * @param reportMailboxes   local addresses whose mail is read for DMARC and TLS-RPT reports sent to us (lower case)
     */
    public record Auth(boolean enabled, String authservId, boolean dmarcReject, List<dev.sealpost.core.net.Cidr> trustedForwarders,
                       List<String> trustedArcSealers, boolean dmarcReports, String reportFrom, List<String> reportMailboxes,
                       Bimi bimi, String arcSealDomain, java.util.Map<String, String> dmarcOverrides) {}

    /**
     * {@code auth.bimi*}: BIMI at the MX. Off by default: it makes the server fetch logos and
     * certificates over HTTPS from URLs that senders publish in DNS.
     *
     * @param enabled          evaluate BIMI and add BIMI-Location / BIMI-Indicator on pass
     * @param markRoots        PEM files of mark-certificate (VMC/CMC) roots; empty = self-asserted logos only
     * @param requireEvidence  show a logo only with a valid mark certificate
     */
    public record Bimi(boolean enabled, List<Path> markRoots, boolean requireEvidence) {}

    /**
     * {@code [dns]}: the resolver for SPF, DKIM, DMARC (and later MX, DANE, MTA-STS).
     *
     * @param servers      upstream resolvers as {@code ip[:port]}; empty = the system's (/etc/resolv.conf)
     * @param timeout      time budget of one look-up, retries included
     * @param dnssec       validate DNSSEC ourselves (answers get the authentic flag)
     * @param trustAnchors DS/DNSKEY records in master-file format replacing the root's, or null
     * @param zoneFile     resolve only from this RFC 1035 master file (test labs, offline demos), or null
     */
    public record Dns(List<InetSocketAddress> servers, Duration timeout, boolean dnssec, Path trustAnchors, Path zoneFile) {}

    /**
     * {@code [server]}: our host name (greeting, Received), where data lives, where mail for
     * {@code postmaster} goes when no account or alias takes it (RFC 5321 §4.5.1), or null, and
     * whether SMTP, IMAP and POP3 list SCRAM-SHA-256-PLUS ({@code server.advertise_scram_plus},
     * default false: GNU SASL clients such as neomutt pick it and then fail; it is accepted when
     * asked for either way).
     */
    public record Server(String hostname, Path dataDir, String postmaster, boolean advertiseScramPlus) {}

    /** {@code [store]}: empty jdbc_url means SQLite in the data directory. */
    public record Store(String jdbcUrl, String user, String password) {}

    /**
     * {@code [tls]}: PEM certificate chain and PKCS#8 private key; absent means no TLS.
     *
     * @param profile   {@code tls.profile}: the TLS profile of every listener (default intermediate;
     *                  never legacy)
     * @param mxProfile {@code tls.mx_profile}: the profile of the port-25 MX listener
     *                  ({@code listeners.smtp}); default: {@code profile}; the only place legacy is allowed
     */
    public record Tls(Path certificate, Path privateKey, TlsProfile profile, TlsProfile mxProfile) {
        public boolean enabled() { return certificate != null; }
    }

    /** {@code [listeners]}: {@code host:port} for each listener; absent or "" disables it. */
    public record Listeners(Optional<InetSocketAddress> smtp, Optional<InetSocketAddress> submission,
                            Optional<InetSocketAddress> submissions, Optional<InetSocketAddress> imap,
                            Optional<InetSocketAddress> imaps, Optional<InetSocketAddress> pop3,
                            Optional<InetSocketAddress> pop3s, Optional<InetSocketAddress> http,
                            Optional<InetSocketAddress> https) {}

    /**
     * {@code [smtp]}: limits and policy of the SMTP listeners; {@code connections} applies to each
     * of MX, submission and submissions, counted per listener ({@link #connectionLimits}).
     */
    public record Smtp(long maxMessageSize, int maxRecipients, int maxErrors, int maxLineLength,
                       Duration idleTimeout, boolean allowAuthWithoutTls, boolean senderMustMatch,
                       dev.sealpost.core.net.ConnectionLimits connections, int maxHeaderSize, int maxHeaderFields,
                       dev.sealpost.core.io.CommandDeadline.Settings deadline) {}

    /** Reads and validates a TOML file; a bad file throws {@link ConfigException} naming the key. */
    public static SealpostConfig load(Path file) {
        ConfigTree t = ConfigTree.parse(file);
        return from(t, file.toAbsolutePath().getParent());
    }

    /** Parses TOML text (tests); relative paths resolve against {@code base}. */
    public static SealpostConfig parse(String toml, Path base) {
        return from(ConfigTree.parse(toml, "config"), base);
    }

    private static SealpostConfig from(ConfigTree t, Path base) {
        String hostname = t.string("server.hostname", "localhost");
        if (dev.sealpost.core.mail.Domain.toAscii(hostname).isEmpty()) {
            throw new ConfigException(t.source() + ": key 'server.hostname': expected a host name, got '" + hostname + "'");
        }
        String dataDir = t.string("server.data_dir", null);
        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigException(t.source() + ": key 'server.data_dir': required (a directory for the database and message files)");
        }
        String postmaster = t.string("server.postmaster", "");
        if (!postmaster.isEmpty() && dev.sealpost.core.mail.EmailAddress.parse(postmaster).isEmpty()) {
            throw new ConfigException(t.source() + ": key 'server.postmaster': expected an email address, got '" + postmaster + "'");
        }
        Server server = new Server(hostname, base.resolve(dataDir).normalize(),
                postmaster.isEmpty() ? null : dev.sealpost.core.mail.EmailAddress.parse(postmaster).orElseThrow().canonical(),
                t.bool("server.advertise_scram_plus", false));

        String jdbc = t.string("store.jdbc_url", "");
        if (!jdbc.isEmpty() && !jdbc.startsWith("jdbc:postgresql:") && !jdbc.startsWith("jdbc:sqlite:")) {
            throw new ConfigException(t.source() + ": key 'store.jdbc_url': expected jdbc:postgresql://... or empty for the embedded SQLite, got '" + jdbc + "'");
        }
        Store store = new Store(jdbc.isEmpty() ? null : jdbc, t.string("store.user", null), t.string("store.password", null));

        String cert = t.string("tls.certificate", null);
        String key = t.string("tls.private_key", null);
        if ((cert == null) != (key == null)) {
            throw new ConfigException(t.source() + ": key '" + (cert == null ? "tls.certificate" : "tls.private_key")
                    + "': required when the other of tls.certificate / tls.private_key is set");
        }
        TlsProfile profile = tlsProfile(t, "tls.profile", TlsProfile.INTERMEDIATE);
        if (!profile.allowedOn(false)) {
            // CBC suites only where the alternative is cleartext: MTAs delivering to port 25 (RFC 3207 §4)
            throw new ConfigException(t.source() + ": key 'tls.profile': \"legacy\" is only allowed for the MX listener;"
                    + " set tls.mx_profile = \"legacy\" and tls.profile to modern or intermediate");
        }
        TlsProfile mxProfile = tlsProfile(t, "tls.mx_profile", profile);
        Tls tls = new Tls(cert == null ? null : base.resolve(cert), key == null ? null : base.resolve(key), profile, mxProfile);
        Acme acme = acme(t, base);
        if (acme.enabled()) {
            if (cert != null) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': leave tls.certificate and tls.private_key unset"
                        + " when acme.enabled is true (the ACME certificate is kept in " + Acme.dir(server.dataDir()) + ")");
            }
            tls = new Tls(Acme.dir(server.dataDir()).resolve("cert.pem"), Acme.dir(server.dataDir()).resolve("key.pem"), profile, mxProfile);
        }

        Listeners listeners = new Listeners(
                address(t, "listeners.smtp", "0.0.0.0:25"),
                address(t, "listeners.submission", "0.0.0.0:587"),
                address(t, "listeners.submissions", "0.0.0.0:465"),
                address(t, "listeners.imap", "0.0.0.0:143"),
                address(t, "listeners.imaps", "0.0.0.0:993"),
                address(t, "listeners.pop3", "0.0.0.0:110"),
                address(t, "listeners.pop3s", "0.0.0.0:995"),
                // HTTP(S) is off unless asked for: ports 80/443 often belong to a web server already
                address(t, "listeners.http", ""),
                address(t, "listeners.https", ""));
        Imap imap = new Imap(t.bool("imap.allow_plaintext_auth", false),
                t.integer("imap.max_append_size", 35L * 1024 * 1024, 64 * 1024, 2L * 1024 * 1024 * 1024),
                (int) t.integer("imap.max_connections_per_account", 20, 1, 10_000),
                // RFC 9051 §5.4: the autologout timer of an authenticated session is at least 30 minutes
                Duration.ofSeconds(t.integer("imap.idle_timeout_seconds", 1800, 1800, 24 * 3600)),
                connectionLimits(t, "imap"),
                new dev.sealpost.core.io.CommandDeadline.Settings( // a command with its literals: 5 minutes as for SMTP, no less
                        Duration.ofSeconds(t.integer("imap.command_deadline_seconds", 300, 300, 24 * 3600)),
                        dev.sealpost.core.io.CommandDeadline.Settings.defaults().minRate()),
                // the header section of an APPENDed message, bounded as SMTP's (smtp.max_header_size/_fields)
                (int) t.integer("imap.max_header_size", 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
                (int) t.integer("imap.max_header_fields", 1000, 100, 100_000),
                (int) t.integer("imap.max_mailboxes", 10_000, 10, 1_000_000),
                (int) t.integer("imap.max_keywords", 256, 0, 100_000));
        Pop3 pop3 = new Pop3(t.bool("pop3.allow_plaintext_auth", false), connectionLimits(t, "pop3"),
                new dev.sealpost.core.io.CommandDeadline.Settings( // a POP3 command line: 5 minutes as for SMTP, no less
                        Duration.ofSeconds(t.integer("pop3.command_deadline_seconds", 300, 300, 24 * 3600)),
                        dev.sealpost.core.io.CommandDeadline.Settings.defaults().minRate()));
        // testing by default (RFC 8461 §5): a new server's TLS-RPT reports should be clean before enforce
        String stsMode = t.string("web.mta_sts_mode", "testing");
        if (!List.of("enforce", "testing", "none").contains(stsMode)) {
            throw new ConfigException(t.source() + ": key 'web.mta_sts_mode': expected enforce, testing or none, got '" + stsMode + "'");
        }
        List<String> stsMx = t.stringList("web.mta_sts_mx", List.of(hostname));
        for (String mx : stsMx) {
            // RFC 8461 §3.2: mx patterns are host names, optionally with a leading "*." label
            String bare = mx.startsWith("*.") ? mx.substring(2) : mx;
            if (dev.sealpost.core.mail.Domain.toAscii(bare).isEmpty()) {
                throw new ConfigException(t.source() + ": key 'web.mta_sts_mx': expected host names or *.domain patterns, got '" + mx + "'");
            }
        }
        // RFC 8461 §3.2: max_age up to 31557600 seconds (about a year)
        String metricsToken = t.string("web.metrics_token", "");
        if (!metricsToken.isEmpty() && metricsToken.length() < 16) {
            throw new ConfigException(t.source() + ": key 'web.metrics_token': use at least 16 characters (or leave it empty for loopback only)");
        }
        Web web = new Web(stsMode, List.copyOf(stsMx), t.integer("web.mta_sts_max_age", 604_800, 86_400, 31_557_600),
                t.bool("web.metrics", true), metricsToken,
                t.bool("web.api", true), (int) t.integer("web.api_max_body", 65_536, 1024, 16 * 1024 * 1024),
                (int) t.integer("web.max_requests_in_flight", 256, 1, 100_000));
        Smtp smtp = new Smtp(
                t.integer("smtp.max_message_size", 35L * 1024 * 1024, 64 * 1024, 2L * 1024 * 1024 * 1024),
                (int) t.integer("smtp.max_recipients", 100, 1, 100_000),
                (int) t.integer("smtp.max_errors", 10, 1, 1000),
                (int) t.integer("smtp.max_line_length", 4096, 1000, 1024 * 1024),
                Duration.ofSeconds(t.integer("smtp.idle_timeout_seconds", 300, 10, 3600)),
                t.bool("smtp.allow_plaintext_auth", false),
                t.bool("smtp.sender_must_match", true),
                connectionLimits(t, "smtp"),
                (int) t.integer("smtp.max_header_size", 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
                (int) t.integer("smtp.max_header_fields", 1000, 100, 100_000),
                // RFC 5321 §4.5.3.2: 5 minutes per command, so no less
                new dev.sealpost.core.io.CommandDeadline.Settings(
                        Duration.ofSeconds(t.integer("smtp.command_deadline_seconds", 300, 300, 24 * 3600)),
                        t.integer("smtp.min_data_rate", 1024, 1, 1L << 30)));
        List<InetSocketAddress> servers = new java.util.ArrayList<>();
        for (String v : t.stringList("dns.servers", List.of())) {
            try {
                servers.add(dev.sealpost.dns.DnsSettings.parseServer(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(t.source() + ": key 'dns.servers': expected IP addresses with optional :port, got '" + v + "'");
            }
        }
        String anchors = t.string("dns.trust_anchors", "");
        String zoneFile = t.string("dns.zone_file", "");
        Dns dns = new Dns(List.copyOf(servers), Duration.ofMillis(t.integer("dns.timeout_ms", 3000, 100, 60_000)),
                t.bool("dns.dnssec", true), anchors.isEmpty() ? null : base.resolve(anchors),
                zoneFile.isEmpty() ? null : base.resolve(zoneFile));
        List<dev.sealpost.core.net.Cidr> forwarders = new java.util.ArrayList<>();
        for (String v : t.stringList("auth.trusted_forwarders", List.of())) {
            forwarders.add(dev.sealpost.core.net.Cidr.parse(v).orElseThrow(() -> new ConfigException(t.source()
                    + ": key 'auth.trusted_forwarders': expected IP networks like 192.0.2.0/24, got '" + v + "'")));
        }
        String authservId = t.string("auth.authserv_id", "");
        String reportFrom = t.string("auth.report_from", "");
        if (reportFrom.isEmpty()) reportFrom = "postmaster@" + hostname;
        if (dev.sealpost.core.mail.EmailAddress.parse(reportFrom).isEmpty()) {
            throw new ConfigException(t.source() + ": key 'auth.report_from': expected an email address, got '" + reportFrom + "'");
        }
        List<String> reportMailboxes = new java.util.ArrayList<>();
        for (String v : t.stringList("auth.report_mailboxes", List.of())) {
            reportMailboxes.add(dev.sealpost.core.mail.EmailAddress.parse(v).map(dev.sealpost.core.mail.EmailAddress::canonical)
                    .orElseThrow(() -> new ConfigException(t.source() + ": key 'auth.report_mailboxes': expected email addresses, got '" + v + "'")));
        }
        Auth auth = new Auth(t.bool("auth.enabled", true), authservId.isEmpty() ? hostname : authservId,
                t.bool("auth.dmarc_reject", true), List.copyOf(forwarders), sealers(t), t.bool("auth.dmarc_reports", true),
                reportFrom, List.copyOf(reportMailboxes),
                new Bimi(t.bool("auth.bimi", false), t.stringList("auth.bimi_mark_roots", List.of()).stream().map(base::resolve).toList(),
                        t.bool("auth.bimi_require_evidence", false)),
                arcSealDomain(t), dmarcOverrides(t));
        Queue queue = queue(t, base, hostname);
        Accounts accounts = new Accounts((int) t.integer("accounts.password_min_length", 12, 8, 1024));
        String logLevel = t.string("log.level", "info").toLowerCase(java.util.Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
            throw new ConfigException(t.source() + ": key 'log.level': expected error, warn, info, debug or trace, got '" + logLevel + "'");
        }
        String logFile = t.string("log.file", "");
        String logFormat = t.string("log.format", "text");
        if (!List.of("text", "json").contains(logFormat)) {
            throw new ConfigException(t.source() + ": key 'log.format': expected \"text\" or \"json\", got '" + logFormat + "'");
        }
        Log log = new Log(logLevel, logFile.isEmpty() ? null : base.resolve(logFile).normalize(), logFormat);
        // on by default where it can work: login needs TLS (RFC 5804 §2.1), so without a certificate
        // it is off unless asked for (then the check below says what is missing)
        boolean sieveEnabled = t.bool("managesieve.enabled", tls.enabled());
        // RFC 5804 §1.8: port 4190
        Optional<InetSocketAddress> sieveListen = address(t, "managesieve.listen", "0.0.0.0:4190");
        ManageSieve managesieve = new ManageSieve(sieveEnabled ? sieveListen : Optional.empty(),
                t.bool("managesieve.allow_plaintext_auth", false),
                (int) t.integer("managesieve.max_scripts", 100, 0, 100_000),
                t.integer("managesieve.max_script_size", 1024 * 1024, 0, 64L * 1024 * 1024),
                connectionLimits(t, "managesieve"),
                new dev.sealpost.core.io.CommandDeadline.Settings(
                        Duration.ofSeconds(t.integer("managesieve.command_deadline_seconds", 300, 60, 24 * 3600)),
                        dev.sealpost.core.io.CommandDeadline.Settings.defaults().minRate()));
        String srsFile = t.string("srs.secret_file", "");
        Srs srs = new Srs(t.bool("srs.enabled", true), (int) t.integer("srs.max_age_days", 21, 1, 1023),
                srsFile.isEmpty() ? server.dataDir().resolve("srs-secrets") : base.resolve(srsFile).normalize());
        Filter filter = filter(t);
        Evidence evidence = new Evidence(t.bool("evidence.enabled", true), t.bool("evidence.tsa", true),
                t.integer("evidence.checkpoint_interval_seconds", 60, 1, 86_400),
                t.bool("evidence.tsa_each_record", false), t.integer("evidence.timestamp_interval_ms", 1000, 10, 3_600_000));
        Secure secure = new Secure(t.bool("secure.enabled", true), t.string("secure.subject_tag", "[secure]"),
                t.bool("secure.discover", true), (int) t.integer("secure.wkd_port", 443, 1, 65535));
        t.checkNoUnknownKeys(); // a typo is reported before what it might have caused
        if (!tls.enabled()) {
            if (listeners.submissions().isPresent()) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': required when listeners.submissions is set (implicit TLS, RFC 8314)");
            }
            if (listeners.submission().isPresent() && !smtp.allowAuthWithoutTls()) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': required when listeners.submission is set"
                        + " (AUTH is only offered over TLS; set smtp.allow_plaintext_auth = true to allow it in clear, not recommended)");
            }
        }
        if (!tls.enabled()) {
            for (var l : List.of(java.util.Map.entry("listeners.imaps", listeners.imaps()), java.util.Map.entry("listeners.pop3s", listeners.pop3s()),
                    java.util.Map.entry("listeners.https", listeners.https()))) {
                if (l.getValue().isPresent()) {
                    throw new ConfigException(t.source() + ": key 'tls.certificate': required when " + l.getKey() + " is set (implicit TLS)");
                }
            }
            if (listeners.imap().isPresent() && !imap.allowAuthWithoutTls()) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': required when listeners.imap is set"
                        + " (login is only allowed over TLS; set imap.allow_plaintext_auth = true to allow it in clear, not recommended)");
            }
            if (listeners.pop3().isPresent() && !pop3.allowAuthWithoutTls()) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': required when listeners.pop3 is set"
                        + " (login is only allowed over TLS; set pop3.allow_plaintext_auth = true to allow it in clear, not recommended)");
            }
            if (managesieve.listen().isPresent() && !managesieve.allowAuthWithoutTls()) {
                throw new ConfigException(t.source() + ": key 'tls.certificate': required when managesieve.enabled is true"
                        + " (login is only allowed over TLS; set managesieve.enabled = false, or managesieve.allow_plaintext_auth = true, not recommended)");
            }
        }
        return new SealpostConfig(server, store, tls, listeners, smtp, dns, auth, queue, imap, pop3, web, accounts, log, managesieve, srs, filter, acme, evidence, secure);
    }

    /** {@code [filter]}: thresholds, quarantine retention, protected domains and people, weight overrides. */
    private static Filter filter(ConfigTree t) {
        double reject = t.number("filter.reject_score", 15, -1000, 1000);
        double junk = t.number("filter.junk_score", 6, -1000, 1000);
        if (junk > reject) {
            throw new ConfigException(t.source() + ": key 'filter.junk_score': expected at most filter.reject_score (" + reject + "), got " + junk);
        }
        List<String> vips = t.stringList("filter.vips", List.of());
        for (String v : vips) {
            int lt = v.lastIndexOf('<');
            if (lt <= 0 || !v.endsWith(">") || !v.substring(lt).contains("@")) {
                throw new ConfigException(t.source() + ": key 'filter.vips': expected \"Name <address>\", got '" + v + "'");
            }
        }
        List<String> protect = new java.util.ArrayList<>();
        for (String d : t.stringList("filter.protect", List.of())) {
            if (d.isBlank() || d.contains("@") || d.contains(" ")) {
                throw new ConfigException(t.source() + ": key 'filter.protect': expected domain names, got '" + d + "'");
            }
            protect.add(d.toLowerCase(java.util.Locale.ROOT));
        }
        return new Filter(t.bool("filter.enabled", true), reject, junk,
                (int) t.integer("filter.quarantine_days", 30, 1, 3650), protect, vips, t.numberTable("filter.weights", -100, 100),
                filterNet(t), overrides(t, reject, junk), quarantineDigest(t),
                (int) t.integer("filter.quarantine_link_days", 7, 1, 365));
    }

    /** {@code filter.quarantine_digest}: "daily", "hourly" or "off" (null). */
    private static Duration quarantineDigest(ConfigTree t) {
        String v = t.string("filter.quarantine_digest", "daily");
        return switch (v) {
            case "daily" -> Duration.ofDays(1);
            case "hourly" -> Duration.ofHours(1);
            case "off" -> null;
            default -> throw new ConfigException(t.source() + ": key 'filter.quarantine_digest': expected \"daily\", \"hourly\" or \"off\", got '" + v + "'");
        };
    }

    /** {@code [filter.overrides]}: {@code "example.com" = { reject_score = 20, junk_score = 8 }}, or an address. */
    private static java.util.Map<String, Thresholds> overrides(ConfigTree t, double reject, double junk) {
        java.util.Map<String, Thresholds> out = new java.util.HashMap<>();
        t.numberTables("filter.overrides", java.util.Set.of("reject_score", "junk_score"), -1000, 1000).forEach((name, v) -> {
            String key = name.strip().toLowerCase(java.util.Locale.ROOT);
            boolean address = key.contains("@") && dev.sealpost.core.mail.EmailAddress.parse(key).isPresent();
            if (!address && !key.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+")) {
                throw new ConfigException(t.source() + ": key 'filter.overrides.\"" + name + "\"': expected a domain or an address");
            }
            Thresholds th = new Thresholds(v.getOrDefault("reject_score", reject), v.getOrDefault("junk_score", junk));
            if (th.junkScore() > th.rejectScore()) {
                throw new ConfigException(t.source() + ": key 'filter.overrides.\"" + name + "\".junk_score': expected at most its reject_score ("
                        + th.rejectScore() + "), got " + th.junkScore());
            }
            out.put(key, th);
        });
        return out;
    }

    /** The network and outbound keys of {@code [filter]}; each bad value names its key. */
    private static FilterNet filterNet(ConfigTree t) {
        String clamd = t.string("filter.clamd", "").strip();
        if (!clamd.isEmpty()) {
            try {
                dev.sealpost.filter.net.ClamdClient.of(clamd);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(t.source() + ": key 'filter.clamd': " + e.getMessage());
            }
        }
        String unavailable = t.string("filter.clamd_unavailable", "tempfail");
        if (!unavailable.equals("tempfail") && !unavailable.equals("accept")) {
            throw new ConfigException(t.source() + ": key 'filter.clamd_unavailable': expected \"tempfail\" or \"accept\", got '" + unavailable + "'");
        }
        String policy = t.string("filter.dnsbl_policy", "reject");
        if (!policy.equals("reject") && !policy.equals("score")) {
            throw new ConfigException(t.source() + ": key 'filter.dnsbl_policy': expected \"reject\" or \"score\", got '" + policy + "'");
        }
        List<String> dnsbl = zones(t, "filter.dnsbl");
        List<String> dnswl = zones(t, "filter.dnswl");
        List<String> uribl = zones(t, "filter.uribl");
        List<String> allow = t.stringList("filter.greylist_allow", List.of());
        for (String a : allow) {
            String v = a.strip();
            boolean ok = dev.sealpost.core.net.Cidr.parse(v).isPresent()
                    || (v.contains("@") ? dev.sealpost.core.mail.EmailAddress.parse(v.startsWith("@") ? "x" + v : v).isPresent()
                    : v.matches("[A-Za-z0-9_.-]+\\.[A-Za-z0-9-]+"));
            if (!ok) {
                throw new ConfigException(t.source() + ": key 'filter.greylist_allow': expected networks, addresses or domains, got '" + a + "'");
            }
        }
        return new FilterNet(clamd, unavailable.equals("accept"), (int) t.integer("filter.clamd_timeout_seconds", 30, 1, 600),
                t.integer("filter.clamd_max_bytes", 25 * 1024 * 1024, 1024, 1024L * 1024 * 1024),
                dnsbl, policy.equals("reject"), t.number("filter.dnsbl_weight", 5, -100, 100),
                dnswl, t.number("filter.dnswl_weight", -5, -100, 100), uribl, t.number("filter.uribl_weight", 5, -100, 100),
                t.bool("filter.greylist", false), (int) t.integer("filter.greylist_delay_seconds", 300, 0, 86_400),
                (int) t.integer("filter.greylist_remember_days", 36, 1, 3650), allow,
                (int) t.integer("filter.submission_messages_per_hour", 0, 0, 1_000_000),
                (int) t.integer("filter.submission_recipients_per_hour", 0, 0, 10_000_000),
                t.number("filter.outbound_spam_score", 6, -1000, 1000),
                (int) t.integer("filter.outbound_hold_recipients", 50, 0, 10_000_000));
    }

    /** A list of DNS list zones (RFC 5782), each a domain name. */
    private static List<String> zones(ConfigTree t, String key) {
        List<String> out = new java.util.ArrayList<>();
        for (String z : t.stringList(key, List.of())) {
            String v = z.strip().toLowerCase(java.util.Locale.ROOT);
            if (!v.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+") || v.length() > 200) {
                throw new ConfigException(t.source() + ": key '" + key + "': expected zone names such as zen.spamhaus.org, got '" + z + "'");
            }
            out.add(v);
        }
        return out;
    }

    /** {@code [acme]} (RFC 8555). */
    private static Acme acme(ConfigTree t, Path base) {
        boolean enabled = t.bool("acme.enabled", false);
        String directory = t.string("acme.directory", "https://acme-v02.api.letsencrypt.org/directory");
        try {
            java.net.URI u = new java.net.URI(directory);
            if (!"https".equals(u.getScheme()) && !"acme".equals(u.getScheme())) throw new java.net.URISyntaxException(directory, "not https");
        } catch (java.net.URISyntaxException e) {
            // RFC 8555 §6.1: the ACME server is reached over HTTPS only
            throw new ConfigException(t.source() + ": key 'acme.directory': expected an https:// URL, got '" + directory + "'");
        }
        String contact = t.string("acme.contact", "");
        if (!contact.isEmpty() && !contact.startsWith("mailto:")) {
            throw new ConfigException(t.source() + ": key 'acme.contact': expected a mailto: URI, got '" + contact + "'");
        }
        String trust = t.string("acme.trust_ca", "");
        List<String> names = new java.util.ArrayList<>();
        for (String n : t.stringList("acme.names", List.of())) {
            names.add(dev.sealpost.core.mail.Domain.toAscii(n.strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow(
                    () -> new ConfigException(t.source() + ": key 'acme.names': expected host names, got '" + n + "'")));
        }
        String challenge = t.string("acme.challenge", "auto");
        if (!List.of("auto", "http-01", "tls-alpn-01").contains(challenge)) {
            throw new ConfigException(t.source() + ": key 'acme.challenge': expected \"auto\", \"http-01\" or \"tls-alpn-01\", got '" + challenge + "'");
        }
        return new Acme(enabled, directory, contact, trust.isEmpty() ? null : base.resolve(trust).normalize(), List.copyOf(names),
                challenge, t.bool("acme.roll_key", false));
    }

    /** The config with {@code n} added to the port of every listener ({@code serve --port-offset N}); port 0 stays 0. */
    public SealpostConfig withPortOffset(int n) {
        if (n == 0) return this;
        Listeners l = listeners;
        Listeners shifted = new Listeners(shift(l.smtp(), n, "listeners.smtp"), shift(l.submission(), n, "listeners.submission"),
                shift(l.submissions(), n, "listeners.submissions"), shift(l.imap(), n, "listeners.imap"),
                shift(l.imaps(), n, "listeners.imaps"), shift(l.pop3(), n, "listeners.pop3"), shift(l.pop3s(), n, "listeners.pop3s"),
                shift(l.http(), n, "listeners.http"), shift(l.https(), n, "listeners.https"));
        ManageSieve m = managesieve;
        ManageSieve shiftedSieve = new ManageSieve(shift(m.listen(), n, "managesieve.listen"), m.allowAuthWithoutTls(), m.maxScripts(),
                m.maxScriptSize(), m.connections(), m.deadline());
        return new SealpostConfig(server, store, tls, shifted, smtp, dns, auth, queue, imap, pop3, web, accounts, log, shiftedSieve, srs, filter, acme, evidence, secure);
    }

    private static Optional<InetSocketAddress> shift(Optional<InetSocketAddress> a, int n, String key) {
        if (a.isEmpty() || a.get().getPort() == 0) return a;
        int p = a.get().getPort() + n;
        if (p < 1 || p > 65535) {
            throw new ConfigException("--port-offset " + n + ": key '" + key + "': port " + a.get().getPort() + " would become " + p
                    + ", outside 1-65535");
        }
        return Optional.of(new InetSocketAddress(a.get().getAddress(), p));
    }

    /**
     * Checks every file and directory the config names, before anything is created or opened:
     * the TLS certificate and key, DNS files, BIMI roots, and that the data directory exists or can
     * be created. Throws {@link ConfigException} naming the key.
     */
    public void checkNamedFiles() {
        if (acme.trustCa() != null) readable(acme.trustCa(), "acme.trust_ca");
        if (tls.enabled() && !acme.enabled()) { // with ACME the files are made at start (a placeholder until the first issuance)
            readable(tls.certificate(), "tls.certificate");
            readable(tls.privateKey(), "tls.private_key");
        }
        if (dns.zoneFile() != null) readable(dns.zoneFile(), "dns.zone_file");
        if (dns.trustAnchors() != null) readable(dns.trustAnchors(), "dns.trust_anchors");
        for (Path p : auth.bimi().markRoots()) readable(p, "auth.bimi_mark_roots");
        Path data = server.dataDir();
        if (java.nio.file.Files.exists(data)) {
            if (!java.nio.file.Files.isDirectory(data)) {
                throw new ConfigException("key 'server.data_dir': " + data + " is not a directory");
            }
        } else {
            Path parent = data.toAbsolutePath().getParent();
            while (parent != null && !java.nio.file.Files.exists(parent)) parent = parent.getParent();
            if (parent == null || !java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)) {
                throw new ConfigException("key 'server.data_dir': " + data + " does not exist and cannot be created"
                        + (parent == null ? "" : " (" + parent + " is not a writable directory)"));
            }
        }
        if (log.file() != null) {
            Path dir = log.file().toAbsolutePath().getParent();
            if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
                throw new ConfigException("key 'log.file': directory " + dir + " does not exist");
            }
        }
    }

    private static void readable(Path p, String key) {
        if (!java.nio.file.Files.exists(p)) throw new ConfigException("key '" + key + "': file " + p + " does not exist");
        if (!java.nio.file.Files.isRegularFile(p)) throw new ConfigException("key '" + key + "': " + p + " is not a regular file");
        if (!java.nio.file.Files.isReadable(p)) throw new ConfigException("key '" + key + "': file " + p + " is not readable by this user");
    }

    /** Values that look copied from the example config: logged as warnings at start-up. */
    public List<String> warnings() {
        List<String> out = new java.util.ArrayList<>();
        String h = server.hostname().toLowerCase(java.util.Locale.ROOT);
        for (String example : List.of("example.com", "example.net", "example.org")) {
            if (h.equals(example) || h.endsWith("." + example)) {
                out.add("server.hostname is '" + server.hostname() + "', an example value: set it to this server's public host name"
                        + " (the MX name in DNS; it is in every greeting, Received field and bounce)");
            }
        }
        if (server.postmaster() == null) {
            out.add("server.postmaster is empty: mail to postmaster@ (RFC 5321 §4.5.1) reaches nobody unless an account or alias takes it");
        }
        return out;
    }

    /**
     * The connection limits of a section's listeners: {@code max_connections_per_ip},
     * {@code connection_rate_per_ip} (new connections per minute), {@code max_connections} (0 turns
     * each off), {@code exempt_networks} (CIDRs) and {@code ipv6_prefix_length} (an IPv6 client is
     * counted by its network of that length, 64 by default). Defaults: {@link dev.sealpost.core.net.ConnectionLimits#defaults()}.
     */
    static dev.sealpost.core.net.ConnectionLimits connectionLimits(ConfigTree t, String section) {
        List<dev.sealpost.core.net.Cidr> exempt = new java.util.ArrayList<>();
        for (String v : t.stringList(section + ".exempt_networks", List.of())) {
            exempt.add(dev.sealpost.core.net.Cidr.parse(v).orElseThrow(() -> new ConfigException(t.source()
                    + ": key '" + section + ".exempt_networks': expected IP networks like 192.0.2.0/24, got '" + v + "'")));
        }
        return new dev.sealpost.core.net.ConnectionLimits(
                (int) t.integer(section + ".max_connections_per_ip", dev.sealpost.core.net.ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_IP, 0, 1_000_000),
                (int) t.integer(section + ".connection_rate_per_ip", dev.sealpost.core.net.ConnectionLimits.DEFAULT_CONNECTION_RATE_PER_IP, 0, 1_000_000),
                (int) t.integer(section + ".max_connections", dev.sealpost.core.net.ConnectionLimits.DEFAULT_MAX_CONNECTIONS, 0, 1_000_000),
                exempt,
                (int) t.integer(section + ".ipv6_prefix_length", dev.sealpost.core.net.ConnectionLimits.DEFAULT_IPV6_PREFIX_LENGTH, 16, 128));
    }

    /** A TLS profile name: modern, intermediate or legacy; "" (or absent) means {@code def}. */
    private static TlsProfile tlsProfile(ConfigTree t, String key, TlsProfile def) {
        String v = t.string(key, "");
        if (v.isEmpty()) return def;
        return TlsProfile.of(v).orElseThrow(() -> new ConfigException(t.source() + ": key '" + key
                + "': expected modern, intermediate or legacy, got '" + v + "'"));
    }

    /** {@code auth.dmarc_overrides = ["example.org = none"]}: domain = none|quarantine|reject. */
    private static java.util.Map<String, String> dmarcOverrides(ConfigTree t) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String v : t.stringList("auth.dmarc_overrides", List.of())) {
            int eq = v.indexOf('=');
            String domain = eq < 0 ? "" : v.substring(0, eq).strip();
            String policy = eq < 0 ? "" : v.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT);
            var ascii = dev.sealpost.core.mail.Domain.toAscii(domain);
            if (ascii.isEmpty() || !List.of("none", "quarantine", "reject").contains(policy)) {
                throw new ConfigException(t.source() + ": key 'auth.dmarc_overrides': expected \"domain = none|quarantine|reject\", got '" + v + "'");
            }
            out.put(ascii.get(), policy);
        }
        return java.util.Map.copyOf(out);
    }

    private static String arcSealDomain(ConfigTree t) {
        String v = t.string("auth.arc_seal_domain", "");
        if (v.isEmpty()) return null;
        return dev.sealpost.core.mail.Domain.toAscii(v).orElseThrow(() -> new ConfigException(t.source()
                + ": key 'auth.arc_seal_domain': expected a domain name, got '" + v + "'"));
    }

    private static List<String> sealers(ConfigTree t) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : t.stringList("auth.trusted_arc_sealers", List.of())) {
            out.add(dev.sealpost.core.mail.Domain.toAscii(v).orElseThrow(() -> new ConfigException(t.source()
                    + ": key 'auth.trusted_arc_sealers': expected domain names, got '" + v + "'")));
        }
        return List.copyOf(out);
    }

    private static Queue queue(ConfigTree t, Path base, String hostname) {
        String relay = t.string("queue.relay_host", "");
        String[] relayHp = relay.isEmpty() ? null : hostPort(relay, 25, t.source() + ": key 'queue.relay_host'");
        String user = t.string("queue.relay_user", "");
        String password = t.string("queue.relay_password", "");
        if (!user.isEmpty() && relayHp == null) {
            throw new ConfigException(t.source() + ": key 'queue.relay_user': needs queue.relay_host (AUTH is only used towards a smarthost)");
        }
        if (user.isEmpty() != password.isEmpty()) {
            throw new ConfigException(t.source() + ": key '" + (user.isEmpty() ? "queue.relay_user" : "queue.relay_password")
                    + "': required when the other of queue.relay_user / queue.relay_password is set");
        }
        java.util.Map<String, String> transports = new java.util.LinkedHashMap<>();
        for (String rule : t.stringList("queue.transports", List.of())) {
            int eq = rule.indexOf('=');
            String what = t.source() + ": key 'queue.transports'";
            if (eq <= 0) throw new ConfigException(what + ": expected \"domain = host:port\", got '" + rule + "'");
            String domain = rule.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            if (dev.sealpost.core.mail.Domain.toAscii(domain).isEmpty()) {
                throw new ConfigException(what + ": expected a domain before '=', got '" + domain + "'");
            }
            String[] hp = hostPort(rule.substring(eq + 1).strip(), 25, what);
            transports.put(dev.sealpost.core.mail.Domain.toAscii(domain).orElseThrow(), hp[0] + ":" + hp[1]);
        }
        return new Queue(relayHp == null ? null : relayHp[0], relayHp == null ? 25 : Integer.parseInt(relayHp[1]),
                user.isEmpty() ? null : user, password.isEmpty() ? null : password,
                (int) t.integer("queue.mx_port", 25, 1, 65535),
                (int) t.integer("queue.max_age_hours", 120, 1, 24 * 30),
                (int) t.integer("queue.delay_warning_hours", 4, 1, 24 * 30),
                (int) t.integer("queue.concurrency_per_domain", 4, 1, 100),
                java.util.Collections.unmodifiableMap(transports),
                t.bool("queue.dane", true), t.bool("queue.mta_sts", true), tlsCa(t, base), tlsrptOrgName(t, hostname),
                (int) t.integer("queue.mta_sts_port", 443, 1, 65535));
    }

    /** {@code queue.tls_ca}: a readable PEM file with at least one certificate, or "" for none. */
    private static Path tlsCa(ConfigTree t, Path base) {
        String v = t.string("queue.tls_ca", "");
        if (v.isEmpty()) return null;
        Path p = base.resolve(v).normalize();
        try {
            dev.sealpost.tlspolicy.TrustStores.readCertificates(p);
        } catch (java.io.IOException e) {
            throw new ConfigException(t.source() + ": key 'queue.tls_ca': expected a PEM file of CA certificates, got '" + v + "': " + e.getMessage());
        }
        return p;
    }

    /** {@code queue.tlsrpt_org_name}: printable ASCII (it goes into report JSON and mail), at most 200 characters. */
    private static String tlsrptOrgName(ConfigTree t, String hostname) {
        String v = t.string("queue.tlsrpt_org_name", "");
        if (v.isEmpty()) return hostname;
        if (v.length() > 200 || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new ConfigException(t.source() + ": key 'queue.tlsrpt_org_name': expected printable ASCII of at most 200 characters, got '" + v + "'");
        }
        return v;
    }

    /**
     * Checks {@code host[:port]} or {@code [v6]:port} without resolving anything; host a domain
     * name or an IP literal. Returns {host, port}; IPv6 hosts in brackets.
     */
    static String[] hostPort(String v, int defaultPort, String what) {
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) throw new ConfigException(what + ": expected [IPv6]:port, got '" + v + "'");
            host = v.substring(0, close + 1);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new ConfigException(what + ": expected [IPv6]:port, got '" + v + "'");
                port = rest.substring(1);
            }
            try {
                java.net.InetAddress.ofLiteral(host.substring(1, host.length() - 1));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(what + ": not an IPv6 address in '" + v + "'");
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon >= 0 && v.indexOf(':') != colon) throw new ConfigException(what + ": write IPv6 addresses as [address]:port, got '" + v + "'");
            host = colon < 0 ? v : v.substring(0, colon);
            if (colon >= 0) port = v.substring(colon + 1);
            if (dev.sealpost.core.mail.Domain.toAscii(host).isEmpty() && !host.matches("[0-9.]+")) {
                throw new ConfigException(what + ": expected host:port with a host name or IP address, got '" + v + "'");
            }
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new ConfigException(what + ": expected host:port with a numeric port, got '" + v + "'");
            }
            if (p < 1 || p > 65535) throw new ConfigException(what + ": port out of range in '" + v + "'");
        }
        return new String[] {host, Integer.toString(p)};
    }

    private static Optional<InetSocketAddress> address(ConfigTree t, String key, String def) {
        String v = t.string(key, def);
        if (v.isEmpty()) return Optional.empty();
        return Optional.of(parseHostPort(v, t.source() + ": key '" + key + "'"));
    }

    /** Parses {@code ip:port}, {@code [v6]:port} or {@code localhost:port}; never a name look-up. */
    public static InetSocketAddress parseHostPort(String v, String what) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0) throw new ConfigException(what + ": expected host:port, got '" + v + "'");
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": expected host:port with a numeric port, got '" + v + "'");
        }
        if (port < 0 || port > 65535) throw new ConfigException(what + ": port out of range in '" + v + "'");
        // a bind address is an IP literal ("localhost" is the loopback): names are not looked up here,
        // as nothing in the server resolves through the JVM's system resolver (ADR 0006)
        java.net.InetAddress ip = host.equalsIgnoreCase("localhost") ? java.net.InetAddress.getLoopbackAddress()
                : dev.sealpost.core.net.dial.Dialer.literal(host);
        if (ip == null) throw new ConfigException(what + ": expected an IP address (or localhost) and a port, got '" + v + "'");
        return new InetSocketAddress(ip, port);
    }
}
