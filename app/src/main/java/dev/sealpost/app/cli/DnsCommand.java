package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.DnsJavaResolver;
import dev.sealpost.dns.DnsSettings;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code sealpost dns records DOMAIN}: every DNS record a local domain should publish, in
 * zone-file syntax (RFC 1035 §5) with comments: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, TLSA
 * and the SRV records that let mail clients find the servers. {@code sealpost dns check DOMAIN}
 * compares them with live DNS, through the resolver the server uses ({@code [dns]}).
 */
@Command(name = "dns", description = "DNS records for the local domains.", mixinStandardHelpOptions = true)
public final class DnsCommand {
    /** The TTL written in the {@code $TTL} line. */
    static final int TTL = 3600;
    /** RFC 8461 §3.2 max_age we recommend: one week. */
    static final int MTA_STS_MAX_AGE = 604_800;

    @Mixin
    StoreOptions store;

    @Command(name = "records", description = "Print every record DOMAIN should publish (zone-file syntax).")
    int records(@Parameters(paramLabel = "DOMAIN") String domain,
                @Option(names = "--hostname", paramLabel = "MX_HOST",
                        description = "The server's public host name (default: server.hostname from the config).") String hostname,
                @Option(names = "--ip", paramLabel = "IP",
                        description = "A public address of the server (IPv4 or IPv6; repeatable): A/AAAA and SPF ip4:/ip6:.") List<String> ips) {
        String d = DkimCommand.ascii(domain);
        SealpostConfig cfg = config();
        String mx = mxHost(hostname, cfg);
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : ips == null ? List.<String>of() : ips) addresses.add(ip(ip));
        List<Directory.DkimKey> keys;
        try (Store s = store.open()) {
            DkimCommand.requireLocal(s, d);
            keys = s.directory().dkimKeys(d);
        }
        Path cert = cfg == null || cfg.tls() == null ? null : cfg.tls().certificate();
        String policy = cfg == null ? defaultPolicy(mx) : dev.sealpost.web.WebServer.policyText(SealpostServer.webConfig(cfg));
        // ACME with roll_key: the key of the next renewal exists ahead, so its TLSA can be published first (RFC 7671 §8.1)
        String next = cfg == null || !cfg.acme().enabled() || !cfg.acme().rollKey() ? null
                : dev.sealpost.app.acme.AcmeCertificates.nextKeySpkiSha256(SealpostConfig.Acme.dir(cfg.server().dataDir())).orElse(null);
        print(System.out, d, mx, addresses, keys, cert, policy, next, Clock.systemUTC());
        try (Store s = store.open()) {
            printKeyRecords(System.out, d, mx, addresses, s.keys().currentOwnInDomain(d, Keys.Type.OPENPGP),
                    s.keys().currentOwnInDomain(d, Keys.Type.SMIME));
        }
        return 0;
    }

    /**
     * The same text as {@code dns records DOMAIN} with the running server's config (no --ip): the
     * admin API's domain view shows it ({@code GET /api/v1/domains/{domain}}).
     */
    public static String zoneText(Store s, SealpostConfig cfg, String asciiDomain, Clock clock) {
        String mx = mxHost(null, cfg);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        Path cert = cfg.tls() == null ? null : cfg.tls().certificate();
        String policy = dev.sealpost.web.WebServer.policyText(SealpostServer.webConfig(cfg));
        String next = !cfg.acme().enabled() || !cfg.acme().rollKey() ? null
                : dev.sealpost.app.acme.AcmeCertificates.nextKeySpkiSha256(SealpostConfig.Acme.dir(cfg.server().dataDir())).orElse(null);
        print(out, asciiDomain, mx, List.of(), s.directory().dkimKeys(asciiDomain), cert, policy, next, clock);
        printKeyRecords(out, asciiDomain, mx, List.of(), s.keys().currentOwnInDomain(asciiDomain, Keys.Type.OPENPGP),
                s.keys().currentOwnInDomain(asciiDomain, Keys.Type.SMIME));
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The records that publish the accounts' message-security keys: the {@code openpgpkey.} host
     * of WKD's advanced method, and OPENPGPKEY (RFC 7929) and SMIMEA (RFC 8162) records, which
     * senders trust only from a DNSSEC-signed zone.
     */
    static void printKeyRecords(PrintStream out, String d, String mx, List<InetAddress> addresses,
                                List<Keys.OwnKey> openpgp, List<Keys.OwnKey> smime) {
        out.println();
        out.println("; OpenPGP Web Key Directory (draft-koch-openpgp-webkey-service §3.1): the advanced method's host, served");
        out.println("; by the HTTPS listener (its certificate must be valid for openpgpkey." + d + "); the direct method uses " + d + " itself");
        if (addresses.isEmpty()) {
            out.println("openpgpkey." + d + ". IN CNAME " + mx + ".");
        } else {
            for (InetAddress a : addresses) out.println("openpgpkey." + d + ". IN " + (a instanceof Inet4Address ? "A" : "AAAA") + " " + a.getHostAddress());
        }
        out.println();
        out.println("; OPENPGPKEY (RFC 7929) and SMIMEA (RFC 8162): each account's current key; only in a DNSSEC-signed zone");
        if (openpgp.isEmpty() && smime.isEmpty()) {
            out.println("; no account of " + d + " has a key: 'sealpost keys generate ADDRESS --type openpgp|smime'");
        }
        for (Keys.OwnKey k : openpgp) {
            out.println("; " + k.address() + " OpenPGP " + k.fingerprint());
            // RFC 7929 §2.3: the RDATA is the binary Transferable Public Key, base64 in presentation form (white space allowed)
            out.println(keyOwnerName(k.address(), "_openpgpkey") + " IN OPENPGPKEY " + wrapped(Base64.getEncoder().encodeToString(k.publicKey())));
        }
        for (Keys.OwnKey k : smime) {
            out.println("; " + k.address() + " S/MIME certificate " + k.fingerprint());
            // RFC 8162 §2 (the TLSA format of RFC 6698 §2.2): usage 3 (DANE-EE), selector 0 (full certificate), matching 0 (exact)
            out.println(keyOwnerName(k.address(), "_smimecert") + " IN SMIMEA 3 0 0 " + wrapped(HexFormat.of().formatHex(k.publicKey())));
        }
    }

    /**
     * RFC 7929 §3 and RFC 8162 §3: the SHA2-256 of the local part (UTF-8; here the stored,
     * lower-cased one), truncated to 28 octets, hex, then the label ({@code _openpgpkey} or
     * {@code _smimecert}) and the domain.
     */
    static String keyOwnerName(String address, String label) {
        int at = address.lastIndexOf('@');
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(address.substring(0, at).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 28) + "." + label + "." + address.substring(at + 1) + ".";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Long RDATA in parentheses over several lines of 64 characters (RFC 1035 §5.1). */
    static String wrapped(String data) {
        if (data.length() <= 64) return data;
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < data.length(); i += 64) b.append("\n    ").append(data, i, Math.min(data.length(), i + 64));
        return b.append(" )").toString();
    }

    /** Without a config: the policy to start with, testing mode for the MX host (RFC 8461 §3.2). */
    static String defaultPolicy(String mx) {
        return dev.sealpost.web.WebServer.policyText(dev.sealpost.web.WebServerConfig.defaults(mx)
                .withMtaSts(dev.sealpost.web.WebServerConfig.MtaStsMode.TESTING, List.of(mx), MTA_STS_MAX_AGE));
    }

    /** The zone text with the default policy for {@code mx}; {@code cert} (PEM, leaf first) or null. */
    static void print(PrintStream out, String d, String mx, List<InetAddress> addresses, List<Directory.DkimKey> keys,
                      Path cert, Clock clock) {
        print(out, d, mx, addresses, keys, cert, defaultPolicy(mx), clock);
    }

    /** The zone text; {@code cert} (PEM, leaf first) or null; {@code stsPolicy} the MTA-STS policy Sealpost serves. */
    static void print(PrintStream out, String d, String mx, List<InetAddress> addresses, List<Directory.DkimKey> keys,
                      Path cert, String stsPolicy, Clock clock) {
        print(out, d, mx, addresses, keys, cert, stsPolicy, null, clock);
    }

    /** The same with {@code nextKeySha256}: the SPKI SHA-256 (hex) of the key the next certificate will have, or null. */
    static void print(PrintStream out, String d, String mx, List<InetAddress> addresses, List<Directory.DkimKey> keys,
                      Path cert, String stsPolicy, String nextKeySha256, Clock clock) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        out.println("; DNS records for " + d + " (Sealpost, " + now + ")");
        out.println("; Names are fully qualified; long TXT values are split into strings of at most 255 octets (RFC 1035 §3.3.14).");
        out.println("$TTL " + TTL);
        if (mx.equals("localhost") || mx.endsWith(".localhost")) {
            out.println("; WARNING: the server's host name is '" + mx + "': set server.hostname in the config or give --hostname");
        }

        out.println();
        out.println("; MX (RFC 5321 §5.1): mail for " + d + " goes to " + mx);
        out.println(d + ". IN MX 10 " + mx + ".");
        if (addresses.isEmpty()) {
            out.println("; " + mx + " needs A/AAAA records (give --ip to print them) and matching PTR records at the address owner");
        } else {
            out.println("; the MX host's addresses; their PTR records (set by the address owner) should name " + mx);
            for (InetAddress a : addresses) out.println(mx + ". IN " + (a instanceof Inet4Address ? "A" : "AAAA") + " " + a.getHostAddress());
        }

        out.println();
        out.println("; SPF (RFC 7208): only this server sends mail from " + d);
        StringBuilder spf = new StringBuilder("v=spf1");
        if (addresses.isEmpty()) spf.append(" mx");
        for (InetAddress a : addresses) spf.append(a instanceof Inet4Address ? " ip4:" : " ip6:").append(a.getHostAddress());
        spf.append(" -all");
        out.println(DkimCommand.txtLine(d + ".", spf.toString()));

        out.println();
        out.println("; DKIM (RFC 6376, RFC 8463): one record per key that signs or has recently signed");
        List<Directory.DkimKey> published = keys.stream().filter(k -> !k.state().equals(Directory.DKIM_RETIRED)).toList();
        if (published.isEmpty()) {
            out.println("; no DKIM key: run 'sealpost dkim keygen --domain " + d + " --selector S --algorithm rsa|ed25519'");
        }
        for (Directory.DkimKey k : published) {
            if (k.state().equals(Directory.DKIM_RETIRING)) {
                out.println("; retiring (no longer signs): " + DkimCommand.KEEP_ADVICE + ", then 'sealpost dkim remove'");
            } else {
                out.println("; " + k.algorithm() + ", active since " + DateTimeFormatter.ISO_INSTANT.format(k.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            }
            out.println(DkimCommand.zoneLine(k));
        }
        for (Directory.DkimKey k : keys) {
            if (k.state().equals(Directory.DKIM_RETIRED)) out.println("; retired: " + k.recordName() + " can be deleted");
        }

        out.println();
        out.println("; DMARC (RFC 7489), a recommendation: p=none first if you want to watch the aggregate reports before enforcing");
        out.println(DkimCommand.txtLine("_dmarc." + d + ".", "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + d));

        out.println();
        // RFC 8461 §3.1: the id changes exactly when the policy does (a hash of the policy we serve)
        String id = dev.sealpost.web.WebServer.policyId(stsPolicy);
        out.println("; MTA-STS (RFC 8461): senders must use verified TLS to " + mx + "; the id follows the policy below");
        out.println(DkimCommand.txtLine("_mta-sts." + d + ".", "v=STSv1; id=" + id));
        if (addresses.isEmpty()) {
            out.println("mta-sts." + d + ". IN CNAME " + mx + ".");
        } else {
            for (InetAddress a : addresses) {
                out.println("mta-sts." + d + ". IN " + (a instanceof Inet4Address ? "A" : "AAAA") + " " + a.getHostAddress());
            }
        }
        out.println("; Sealpost serves this policy itself at https://mta-sts." + d + "/.well-known/mta-sts.txt on its HTTPS");
        out.println("; listener (listeners.https; the certificate must be valid for mta-sts." + d + "); [web] mta_sts_* set it;");
        out.println("; start in testing mode, switch to enforce when the TLS-RPT reports are clean:");
        for (String line : stsPolicy.split("\r\n")) out.println(";   " + line);

        out.println();
        out.println("; TLS-RPT (RFC 8460): where senders report TLS failures; tlsrpt@" + d + " must be an account or alias");
        out.println(DkimCommand.txtLine("_smtp._tls." + d + ".", "v=TLSRPTv1; rua=mailto:tlsrpt@" + d));

        out.println();
        out.println("; DANE (RFC 7672, RFC 6698): the MX host's certificate key; only in a DNSSEC-signed zone.");
        if (cert == null) {
            out.println("; skipped: no certificate (give --config with tls.certificate)");
        } else {
            try {
                String hash = spkiSha256(cert);
                out.println("; publish the next key's TLSA record before the certificate's key changes");
                out.println("_25._tcp." + mx + ". IN TLSA 3 1 1 " + hash);
            } catch (IOException | CertificateException e) {
                out.println("; skipped: cannot read the certificate " + cert + ": " + e.getMessage());
            }
        }
        if (nextKeySha256 != null) {
            // RFC 7671 §8.1: both records are published until the renewal (acme.roll_key) has switched keys
            out.println("; the key of the next ACME renewal (acme.roll_key): publish this one now, next to the current one");
            out.println("_25._tcp." + mx + ". IN TLSA 3 1 1 " + nextKeySha256);
        }

        out.println();
        out.println("; Mail client configuration (RFC 6186, RFC 8314 §5.1): implicit TLS preferred");
        out.println("_submissions._tcp." + d + ". IN SRV 0 1 465 " + mx + ".");
        out.println("_submission._tcp." + d + ". IN SRV 0 1 587 " + mx + ".");
        out.println("_imaps._tcp." + d + ". IN SRV 0 1 993 " + mx + ".");
        out.println("_pop3s._tcp." + d + ". IN SRV 10 1 995 " + mx + ".");
        out.println("; Thunderbird-style autoconfig, served by the HTTP(S) listener at /mail/config-v1.1.xml");
        out.println("autoconfig." + d + ". IN CNAME " + mx + ".");
    }

    @Command(name = "check", description = "Compare DOMAIN's published DNS records with what 'dns records' recommends: OK, MISSING or DIFFERENT per record.")
    int check(@Parameters(paramLabel = "DOMAIN") String domain,
              @Option(names = "--hostname", paramLabel = "MX_HOST",
                      description = "The server's public host name (default: server.hostname from the config).") String hostname,
              @Option(names = "--ip", paramLabel = "IP", description = "A public address of the server (repeatable).") List<String> ips)
            throws IOException {
        String d = DkimCommand.ascii(domain);
        SealpostConfig cfg = config();
        String mx = mxHost(hostname, cfg);
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : ips == null ? List.<String>of() : ips) addresses.add(ip(ip));
        List<Directory.DkimKey> keys;
        try (Store s = store.open()) {
            DkimCommand.requireLocal(s, d);
            keys = s.directory().dkimKeys(d);
        }
        Path cert = cfg == null || cfg.tls() == null ? null : cfg.tls().certificate();
        // the resolver the server itself uses ([dns] servers, DNSSEC, or a zone file); system defaults without a config
        Resolver resolver = cfg != null ? SealpostServer.resolver(cfg.dns()) : new DnsJavaResolver(DnsSettings.defaults());
        List<Check> results = check(resolver, d, mx, addresses, keys, cert);
        for (Check c : results) System.out.println(c);
        long bad = results.stream().filter(c -> c.verdict() != Verdict.OK).count();
        System.out.println(bad == 0 ? "all " + results.size() + " records OK" : bad + " of " + results.size() + " records need attention");
        return bad == 0 ? 0 : 1;
    }

    /** A record's state in live DNS. */
    enum Verdict { OK, MISSING, DIFFERENT, ERROR }

    /** One compared record: what we expect, what is published (null when nothing). */
    record Check(Verdict verdict, String name, String type, String expected, String found) {
        @Override
        public String toString() {
            String s = String.format("%-9s %s %s", verdict, name, type);
            return switch (verdict) {
                case OK -> s;
                case MISSING -> s + ": expected " + expected;
                case DIFFERENT -> s + ": expected " + expected + ", found " + found;
                case ERROR -> s + ": " + found;
            };
        }
    }

    /** Compares live DNS with the recommended records (SRV records are not checked: the resolver has no SRV look-up). */
    static List<Check> check(Resolver r, String d, String mx, List<InetAddress> addresses, List<Directory.DkimKey> keys, Path cert) {
        List<Check> out = new ArrayList<>();
        // MX: one of the exchanges must be our host
        DnsAnswer<MxRecord> mxs = r.mx(d);
        if (mxs.temporaryFailure()) {
            out.add(new Check(Verdict.ERROR, d, "MX", mx, "DNS " + mxs.status()));
        } else {
            List<String> hosts = mxs.records().stream().map(m -> stripDot(m.exchange())).toList();
            out.add(new Check(hosts.contains(mx) ? Verdict.OK : hosts.isEmpty() ? Verdict.MISSING : Verdict.DIFFERENT,
                    d, "MX", mx, String.join(", ", hosts)));
        }
        for (InetAddress a : addresses) {
            boolean v4 = a instanceof Inet4Address;
            DnsAnswer<InetAddress> ans = v4 ? r.a(mx) : r.aaaa(mx);
            String type = v4 ? "A" : "AAAA";
            if (ans.temporaryFailure()) out.add(new Check(Verdict.ERROR, mx, type, a.getHostAddress(), "DNS " + ans.status()));
            else out.add(new Check(ans.records().contains(a) ? Verdict.OK : ans.records().isEmpty() ? Verdict.MISSING : Verdict.DIFFERENT,
                    mx, type, a.getHostAddress(), String.join(", ", ans.records().stream().map(InetAddress::getHostAddress).toList())));
        }
        StringBuilder spf = new StringBuilder("v=spf1");
        if (addresses.isEmpty()) spf.append(" mx");
        for (InetAddress a : addresses) spf.append(a instanceof Inet4Address ? " ip4:" : " ip6:").append(a.getHostAddress());
        spf.append(" -all");
        // RFC 7208 §4.5: the SPF record is the TXT record starting with "v=spf1"
        out.add(txt(r, d, "v=spf1", spf.toString(), true));
        for (Directory.DkimKey k : keys) {
            if (k.state().equals(Directory.DKIM_RETIRED)) continue;
            out.add(txt(r, k.recordName(), "v=DKIM1", k.publicRecord(), true));
        }
        out.add(txt(r, "_dmarc." + d, "v=DMARC1", "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + d, false));
        out.add(txt(r, "_mta-sts." + d, "v=STSv1", "v=STSv1; id=...", false));
        out.add(txt(r, "_smtp._tls." + d, "v=TLSRPTv1", "v=TLSRPTv1; rua=mailto:tlsrpt@" + d, false));
        if (cert != null) {
            String name = "_25._tcp." + mx;
            try {
                String hash = spkiSha256(cert);
                DnsAnswer<TlsaRecord> t = r.tlsa(name);
                if (t.temporaryFailure()) {
                    out.add(new Check(Verdict.ERROR, name, "TLSA", "3 1 1 " + hash, "DNS " + t.status()));
                } else {
                    List<String> found = t.records().stream().map(x -> x.usage() + " " + x.selector() + " " + x.matchingType() + " "
                            + HexFormat.of().formatHex(x.data())).toList();
                    out.add(new Check(found.contains("3 1 1 " + hash) ? Verdict.OK : found.isEmpty() ? Verdict.MISSING : Verdict.DIFFERENT,
                            name, "TLSA", "3 1 1 " + hash, String.join(", ", found)));
                }
            } catch (IOException | CertificateException e) {
                out.add(new Check(Verdict.ERROR, name, "TLSA", "?", "cannot read the certificate: " + e.getMessage()));
            }
        }
        return out;
    }

    /**
     * The TXT record at {@code name} whose value starts with {@code tag}: with {@code exact}, it
     * must equal {@code expected} (white space ignored, as key records may be folded); otherwise
     * any such record is fine (a DMARC or TLS-RPT policy of the owner's own choosing).
     */
    private static Check txt(Resolver r, String name, String tag, String expected, boolean exact) {
        DnsAnswer<String> ans = r.txt(name);
        if (ans.temporaryFailure()) return new Check(Verdict.ERROR, name, "TXT", expected, "DNS " + ans.status());
        List<String> matching = ans.records().stream().filter(v -> v.strip().regionMatches(true, 0, tag, 0, tag.length())).toList();
        if (matching.isEmpty()) return new Check(Verdict.MISSING, name, "TXT", expected, null);
        if (!exact) return new Check(Verdict.OK, name, "TXT", expected, matching.getFirst());
        String want = expected.replaceAll("\\s+", "");
        boolean same = matching.stream().anyMatch(v -> v.replaceAll("\\s+", "").equals(want));
        return new Check(same ? Verdict.OK : Verdict.DIFFERENT, name, "TXT", expected, String.join(" | ", matching));
    }

    private static String stripDot(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** RFC 6698 §2.1: selector 1 (SubjectPublicKeyInfo), matching type 1 (SHA-256), of the first (leaf) certificate. */
    static String spkiSha256(Path pem) throws IOException, CertificateException {
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(pem)) {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw new CertificateException("no certificate in the file");
            leaf = (X509Certificate) certs.iterator().next();
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The config when one is named (or found at the default place and no --data given), else null. */
    private SealpostConfig config() {
        return store.config(); // with --data DIR: DIR/sealpost.toml, which the demo writes, names the host
    }

    private static String mxHost(String hostname, SealpostConfig cfg) {
        String h = hostname != null ? hostname : cfg != null ? cfg.server().hostname() : null;
        if (h == null) {
            throw new Main.UserError("the MX host name is not known: give --hostname MX_HOST, or --config FILE with server.hostname"
                    + " (a data directory names it in its sealpost.toml)");
        }
        String s = h.strip();
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        String in = s;
        return Domain.toAscii(in).orElseThrow(() -> new Main.UserError("not a host name: " + hostname));
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.ofLiteral(text.strip());
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("not an IP address: " + text);
        }
    }
}
