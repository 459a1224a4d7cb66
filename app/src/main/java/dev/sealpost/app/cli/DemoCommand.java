package dev.sealpost.app.cli;

import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sealpost demo}: a server on embedded defaults on loopback, with a domain
 * {@code example.test}, an account {@code demo@example.test} and a self-signed certificate.
 */
@Command(name = "demo", description = "Run a demo server on loopback with data in ./demo-data.", mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
    public static final String DOMAIN = "example.test";
    public static final String USER = "demo@example.test";

    /** Demo ports before the offset. */
    public static final int SMTP = 2525, SUBMISSION = 2587, SUBMISSIONS = 2465, IMAP = 2143, IMAPS = 2993, POP3 = 2110,
            POP3S = 2995, HTTP = 2080, HTTPS = 2443, MANAGESIEVE = 2190;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./demo-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--password", paramLabel = "PW", description = "Password for demo@example.test (default: a new random one, printed).")
    String password;

    @Option(names = "--relay-host", paramLabel = "HOST:PORT",
            description = "Send all mail for other domains through this SMTP server (e.g. a local test MTA).")
    String relayHost;

    @Option(names = "--clamd", paramLabel = "HOST:PORT",
            description = "Scan mail for malware with this clamd (HOST:PORT or a socket path): sets filter.clamd.")
    String clamd;

    @Option(names = "--dns", paramLabel = "HOST:PORT",
            description = "Resolve through this upstream DNS server (validating DNSSEC ourselves) instead of the demo's zone file.")
    String dnsServer;

    @Option(names = "--dnssec-anchor", paramLabel = "FILE",
            description = "DNSSEC trust anchors (DS or DNSKEY records, master-file format) replacing the root's; with --dns.")
    Path dnssecAnchor;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Extra PEM CA certificates trusted for outbound STARTTLS and MTA-STS policy fetches.")
    Path tlsCa;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "localhost",
            description = "The server's host name (greeting, certificate; default: ${DEFAULT-VALUE}).")
    String hostname = "localhost";

    @Option(names = "--acme-directory", paramLabel = "URL",
            description = "Get the certificate from this ACME directory (RFC 8555, e.g. a local Pebble's https://127.0.0.1:14000/dir)"
                    + " for the host name, mta-sts." + DOMAIN + " and autoconfig." + DOMAIN + ", instead of a self-signed one.")
    String acmeDirectory;

    @Option(names = "--acme-trust-ca", paramLabel = "FILE",
            description = "PEM root trusted for the ACME directory's HTTPS (e.g. Pebble's pebble.minica.pem); with --acme-directory.")
    Path acmeTrustCa;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0", description = "Add N to every port.")
    int offset;

    @Override
    public Integer call() throws Exception {
        Prepared p = prepare();
        SealpostServer server = new SealpostServer(p.config(), Clock.systemUTC());
        ServeCommand.runUntilStopped(server, () -> banner(p.dir(), p.certificate(), p.password()),
                () -> ServeCommand.reloadCertificates(server));
        return 0;
    }

    /** What {@link #prepare()} made: the data directory, certificate, the account's password and the server config. */
    record Prepared(Path dir, Path certificate, String password, SealpostConfig config) {}

    /**
     * Creates (or updates) the demo's data: certificate, domain with DKIM keys, account, zone file,
     * and {@code DIR/sealpost.toml}, the config the demo runs with (which the admin commands read
     * with {@code --data DIR}, and {@code serve --config} can run).
     */
    Prepared prepare() throws java.io.IOException {
        if (offset < 0 || SMTP + offset > 65535 - 1000) throw new dev.sealpost.app.Main.UserError("--port-offset out of range: " + offset);
        if (password != null) new PasswordPolicy(SealpostConfig.Accounts.DEFAULT_PASSWORD_MIN_LENGTH).require(password.toCharArray());
        if (dev.sealpost.core.mail.Domain.toAscii(hostname).isEmpty()) {
            throw new dev.sealpost.app.Main.UserError("--hostname: expected a host name, got '" + hostname + "'");
        }
        if (acmeTrustCa != null && acmeDirectory == null) throw new dev.sealpost.app.Main.UserError("--acme-trust-ca needs --acme-directory URL");
        Path dir = data.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path cert = dir.resolve("tls/cert.pem"), key = dir.resolve("tls/key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            // mta-sts.<domain> and autoconfig.<domain>: the names clients use for the HTTPS listener
            TlsFiles.writeSelfSigned(cert, key, hostname, new java.util.ArrayList<>(new java.util.LinkedHashSet<>(List.of(hostname,
                    "localhost", "127.0.0.1", "mta-sts." + DOMAIN, "autoconfig." + DOMAIN))), List.of("127.0.0.1"));
        }
        if (acmeDirectory != null) cert = SealpostConfig.Acme.dir(dir).resolve("cert.pem");
        String pw = password != null ? password : Passwords.generate();
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            var d = s.directory();
            if (!d.isLocalDomain(DOMAIN)) d.addDomain(DOMAIN);
            // the demo's mail leaves DKIM-signed, as a domain added with 'domain add' does
            if (d.dkimKeys(DOMAIN).isEmpty()) DkimCommand.generateDefaults(d, DOMAIN, Clock.systemUTC());
            if (d.account(USER).isEmpty()) d.addAccount(USER, pw.toCharArray());
            else d.setPassword(USER, pw.toCharArray());
            s.apiAccess().grantAdmin(USER); // the demo's account is a server admin (admin API, docs/api.md)
        }
        // The demo resolves only from its own zone file: it never needs (or sends) a DNS query, so it
        // works offline and mail between its addresses is checked without delay. --dns replaces the
        // zone file with an upstream resolver (a lab DNS server), for DANE and MTA-STS tests.
        Path zone = dir.resolve("zone.txt");
        Files.writeString(zone, demoZone());
        if (dnssecAnchor != null && dnsServer == null) throw new dev.sealpost.app.Main.UserError("--dnssec-anchor needs --dns HOST:PORT");
        String dnsToml;
        if (dnsServer != null) {
            // a lab resolver (e.g. a local DNS server with a signed test zone): no zone file, DNSSEC validated here
            try {
                dev.sealpost.dns.DnsSettings.parseServer(dnsServer);
            } catch (IllegalArgumentException e) {
                throw new dev.sealpost.app.Main.UserError("--dns: expected an IP address with :port, got '" + dnsServer + "'");
            }
            dnsToml = "[dns]\nservers = [\"" + tomlString(dnsServer) + "\"]\n"
                    + (dnssecAnchor == null ? "" : "trust_anchors = \"" + esc(dnssecAnchor.toAbsolutePath()) + "\"\n");
        } else {
            dnsToml = "[dns]\nzone_file = \"" + esc(zone) + "\"\n";
        }
        String toml = dnsToml + """
                [server]
                hostname = "%s"
                data_dir = "%s"
                postmaster = "%s"
                %s
                [listeners]
                smtp = "127.0.0.1:%d"
                submission = "127.0.0.1:%d"
                submissions = "127.0.0.1:%d"
                imap = "127.0.0.1:%d"
                imaps = "127.0.0.1:%d"
                pop3 = "127.0.0.1:%d"
                pop3s = "127.0.0.1:%d"
                http = "127.0.0.1:%d"
                https = "127.0.0.1:%d"
                [managesieve]
                listen = "127.0.0.1:%d"
                [web]
                mta_sts_mode = "testing"
                """.formatted(tomlString(hostname), esc(dir), USER, tlsToml(cert, key), SMTP + offset, SUBMISSION + offset, SUBMISSIONS + offset,
                IMAP + offset, IMAPS + offset, POP3 + offset, POP3S + offset, HTTP + offset, HTTPS + offset, MANAGESIEVE + offset);
        if (relayHost != null || tlsCa != null) toml += "[queue]\n";
        if (relayHost != null) {
            toml += "relay_host = \"" + relayHost.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
        }
        if (tlsCa != null) toml += "tls_ca = \"" + esc(tlsCa.toAbsolutePath()) + "\"\n";
        if (clamd != null) {
            try {
                dev.sealpost.filter.net.ClamdClient.of(clamd);
            } catch (IllegalArgumentException e) {
                throw new dev.sealpost.app.Main.UserError("--clamd: " + e.getMessage());
            }
            toml += "[filter]\nclamd = \"" + tomlString(clamd) + "\"\n"; // docs/filter.md: malware scanning before "250"
        }
        toml = "# Written by 'sealpost demo' at each start (edits are overwritten). Also runs with 'sealpost serve --config'.\n" + toml;
        SealpostConfig cfg = SealpostConfig.parse(toml, dir);
        dev.sealpost.core.io.Fsync.writeDurably(dir.resolve("sealpost.toml"), toml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Prepared(dir, cert, pw, cfg);
    }

    /** {@code [tls]} with the self-signed pair, or {@code [acme]} with --acme-directory (the certificate then lives in DIR/acme/). */
    private String tlsToml(Path cert, Path key) {
        if (acmeDirectory == null) return "[tls]\ncertificate = \"" + esc(cert) + "\"\nprivate_key = \"" + esc(key) + "\"";
        return "[acme]\nenabled = true\ndirectory = \"" + tomlString(acmeDirectory) + "\"\n"
                + (acmeTrustCa == null ? "" : "trust_ca = \"" + esc(acmeTrustCa.toAbsolutePath()) + "\"\n")
                + "contact = \"mailto:" + USER + "\"";
    }

    /** SPF and DMARC for the demo domain, as `sealpost dns records` would suggest publishing. */
    static String demoZone() {
        return """
                $TTL 300
                ; the demo's DNS: answers come only from this file (see [dns] zone_file)
                example.test.         IN MX  10 localhost.
                example.test.         IN TXT "v=spf1 ip4:127.0.0.1 ip6:::1 -all"
                _dmarc.example.test.  IN TXT "v=DMARC1; p=quarantine; rua=mailto:demo@example.test"
                localhost.            IN A   127.0.0.1
                localhost.            IN AAAA ::1
                ; PTR for the loopback addresses, naming the host the A/AAAA records confirm: iprev=pass (RFC 8601 §3)
                1.0.0.127.in-addr.arpa. IN PTR localhost.
                1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa. IN PTR localhost.
                """;
    }

    private void banner(Path dir, Path cert, String pw) {
        System.out.printf("""

                Sealpost demo is running (Ctrl-C stops it). Data: %s
                  account   %s
                  password  %s
                  SMTP (MX)                 127.0.0.1:%d
                  submission (STARTTLS)     127.0.0.1:%d
                  submissions (implicit TLS) 127.0.0.1:%d
                  IMAP (STARTTLS) / IMAPS   127.0.0.1:%d / %d
                  POP3 (STLS) / POP3S       127.0.0.1:%d / %d
                  HTTP / HTTPS              127.0.0.1:%d / %d
                  ManageSieve (STARTTLS)    127.0.0.1:%d
                  certificate               %s
                Try: swaks --server 127.0.0.1 --port %d --tls --auth PLAIN --auth-user %s --auth-password '%s' --from %s --to %s
                     curl --cacert %s -u '%s:%s' 'imaps://127.0.0.1:%d/INBOX;UID=1'
                     curl --cacert %s -u '%s:%s' https://127.0.0.1:%d/api/v1/me   (admin API, docs/api.md)

                """, dir, USER, pw, SMTP + offset, SUBMISSION + offset, SUBMISSIONS + offset, IMAP + offset, IMAPS + offset,
                POP3 + offset, POP3S + offset, HTTP + offset, HTTPS + offset, MANAGESIEVE + offset, cert,
                SUBMISSION + offset, USER, pw, USER, USER, cert, USER, pw, IMAPS + offset, cert, USER, pw, HTTPS + offset);
        System.out.flush();
    }

    private static String tomlString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String esc(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
