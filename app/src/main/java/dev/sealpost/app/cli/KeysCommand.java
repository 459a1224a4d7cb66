package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.smime.SmimeCa;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code sealpost keys generate|import|export|list|show|revoke|lookup|discover|policy|rotate-kek}: the S/MIME and
 * OpenPGP keys of local accounts and other people's certificates (issue 13), kept in the store
 * with private parts sealed under the key-encryption key ({@code keys/kek}, docs/keys.md).
 */
@Command(name = "keys", description = "Manage S/MIME and OpenPGP keys: own keys of local accounts, others' certificates.",
        mixinStandardHelpOptions = true)
public final class KeysCommand {
    @Mixin
    StoreOptions store;

    /** The key types on the command line. */
    enum KeyType {
        openpgp, smime;

        Keys.Type type() {
            return this == openpgp ? Keys.Type.OPENPGP : Keys.Type.SMIME;
        }
    }

    @Command(name = "generate", description = "Generate an own key for a local account (S/MIME: issued by the domain's internal CA, created when missing).")
    int generate(@Parameters(paramLabel = "ADDRESS") String address,
                 @Option(names = "--type", required = true, paramLabel = "openpgp|smime") KeyType type,
                 @Option(names = "--profile", paramLabel = "PROFILE", description = "OpenPGP: rfc9580 for a v6 key (default: v4 Ed25519/X25519).") String profile,
                 @Option(names = "--rsa", description = "OpenPGP: a v4 RSA-3072 key.") boolean rsa) {
        String a = canonical(address);
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no local account " + a);
            Keys.OwnKey k = type == KeyType.openpgp ? generatePgp(s, a, profile(profile, rsa)) : issueSmime(s, a, System.out);
            System.out.println("generated " + type + " key " + k.fingerprint() + " for " + a);
        }
        return 0;
    }

    static KeyProfile profile(String profile, boolean rsa) {
        if (rsa && profile != null) throw new Main.UserError("--rsa and --profile exclude each other");
        if (rsa) return KeyProfile.V4_RSA3072;
        if (profile == null) return KeyProfile.V4_CURVE25519;
        for (KeyProfile p : KeyProfile.values()) if (p.sopName().equals(profile)) return p;
        if (profile.equals("default") || profile.equals("rfc4880")) return KeyProfile.V4_CURVE25519;
        throw new Main.UserError("unknown profile " + profile + " (rfc9580, v4-curve25519, v4-rsa3072)");
    }

    static Keys.OwnKey generatePgp(Store s, String address, KeyProfile profile) {
        try {
            OpenPGPKey key = OpenPgpKeys.generate(profile, List.of(OpenPgpKeys.userIdFor(address)), Clock.systemUTC());
            return s.keys().addOwn(address, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(key),
                    OpenPgpKeys.extractCertificate(key, false), OpenPgpKeys.encode(key, false));
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("OpenPGP key generation failed", e);
        }
    }

    /** Issues an S/MIME certificate from the domain's internal CA (created when there is none) and stores it. */
    static Keys.OwnKey issueSmime(Store s, String address, PrintStream out) {
        String domain = address.substring(address.lastIndexOf('@') + 1);
        SmimeCa ca = ensureCa(s, domain, out);
        SmimeCa.Issued issued = ca.issue(address, Instant.now());
        try {
            byte[] der = issued.certificate().getEncoded();
            return s.keys().addOwn(address, Keys.Type.SMIME, KeyMaterial.smimeFingerprint(der), der, issued.privateKey().getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The domain's internal CA, created (and announced on {@code out}) when it has none. */
    static SmimeCa ensureCa(Store s, String domain, PrintStream out) {
        if (!s.directory().isLocalDomain(domain)) throw new Main.UserError(domain + " is not a local domain");
        Optional<Keys.DomainCa> stored = s.keys().ca(domain);
        if (stored.isEmpty()) {
            SmimeCa ca = SmimeCa.create(domain, Instant.now());
            try {
                s.keys().putCa(domain, ca.certificate().getEncoded(), ca.privateKey().getEncoded());
            } catch (CertificateException e) {
                throw new IllegalStateException(e);
            }
            out.println("created the internal S/MIME CA of " + domain + " ('sealpost smime ca export " + domain + "' prints it)");
            return ca;
        }
        try {
            return new SmimeCa(certificate(stored.get().certificate()), SmimeCa.privateKey(s.keys().caPrivateKey(stored.get())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored CA of " + domain + " does not load", e);
        }
    }

    static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    @Command(name = "import", description = "Import keys or certificates: armored OpenPGP, PEM/DER X.509, PKCS#12 (password on standard input). "
            + "A file with a private key becomes ADDRESS's own key (a local account); others are stored as other people's keys.")
    int importKeys(@Parameters(arity = "1..2", paramLabel = "[ADDRESS] FILE") List<String> args) {
        String address = args.size() == 2 ? canonical(args.get(0)) : null;
        Path file = Path.of(args.getLast());
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Main.UserError("cannot read " + file + ": " + e.getMessage());
        }
        List<KeyMaterial.Item> items = KeyMaterial.read(data, KeysCommand::passwordFromStdin);
        try (Store s = store.open()) {
            for (KeyMaterial.Item it : items) {
                List<String> targets = address != null ? List.of(address) : it.addresses();
                if (targets.isEmpty()) throw new Main.UserError(it.type().label() + " key " + it.fingerprint() + " names no address: give ADDRESS");
                if (it.privateKey() != null) {
                    String a = targets.getFirst();
                    if (s.directory().account(a).isEmpty()) throw new Main.UserError("a private key can be imported for a local account only, not " + a);
                    s.keys().addOwn(a, it.type(), it.fingerprint(), it.publicKey(), it.privateKey());
                    System.out.println("imported own " + it.type().label() + " key " + it.fingerprint() + " for " + a);
                } else {
                    for (String a : targets) {
                        s.keys().putPeer(a, it.type(), it.fingerprint(), it.publicKey(), Keys.Origin.IMPORT, it.validFrom(), it.validUntil());
                        System.out.println("imported " + it.type().label() + " certificate " + it.fingerprint() + " for " + a);
                    }
                }
            }
        }
        return 0;
    }

    static char[] passwordFromStdin() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? new char[0] : line.toCharArray();
        } catch (IOException e) {
            throw new Main.UserError("cannot read the PKCS#12 password from standard input: " + e.getMessage());
        }
    }

    @Command(name = "export", description = "Print the public part of ADDRESS's current key: OpenPGP armored, S/MIME PEM.")
    int export(@Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--type", required = true, paramLabel = "openpgp|smime") KeyType type,
               @Option(names = "--chain", description = "S/MIME: the issuing internal CA's certificate after the account's.") boolean chain) {
        String a = canonical(address);
        try (Store s = store.open()) {
            Optional<byte[]> pub = s.keys().currentOwn(a, type.type()).map(Keys.OwnKey::publicKey)
                    .or(() -> best(s.keys().peers(a), type.type(), Instant.now()).map(Keys.PeerKey::publicKey));
            if (pub.isEmpty()) throw new Main.UserError("no " + type + " key for " + a);
            if (type == KeyType.openpgp) {
                System.out.print(new String(OpenPgpKeys.armor(pub.get()), StandardCharsets.US_ASCII));
            } else {
                System.out.print(KeyMaterial.pem(pub.get()));
                if (chain) s.keys().ca(a.substring(a.lastIndexOf('@') + 1)).ifPresent(ca -> System.out.print(KeyMaterial.pem(ca.certificate())));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.flush();
        return 0;
    }

    /** The other party's key of a type to use: valid now, not revoked, the one seen most recently. */
    static Optional<Keys.PeerKey> best(List<Keys.PeerKey> peers, Keys.Type type, Instant now) {
        return peers.stream().filter(p -> p.type() == type && p.validAt(now)).findFirst(); // peers() is newest-seen first
    }

    @Command(name = "list", description = "List keys: own keys of local accounts and others' keys, of ADDRESS or all.")
    int list(@Parameters(arity = "0..1", paramLabel = "ADDRESS") String address) {
        try (Store s = store.open()) {
            List<String> accounts = new ArrayList<>();
            if (address != null) accounts.add(canonical(address));
            else s.directory().accounts().forEach(acc -> accounts.add(acc.address()));
            for (String a : accounts) {
                if (s.directory().account(a).isEmpty()) continue;
                for (Keys.OwnKey k : s.keys().own(a)) System.out.println(ownLine(k));
            }
            for (Keys.PeerKey p : s.keys().peers(address == null ? null : canonical(address))) System.out.println(peerLine(p));
        }
        return 0;
    }

    static String ownLine(Keys.OwnKey k) {
        return "own  " + k.type().label() + " " + k.address() + " " + k.fingerprint() + " created " + time(k.createdAt())
                + (k.revoked() ? " REVOKED " + time(k.revokedAt()) : "");
    }

    static String peerLine(Keys.PeerKey p) {
        return "peer " + p.type().label() + " " + p.address() + " " + p.fingerprint() + " origin " + p.origin().label()
                + (p.validUntil() == null ? "" : " valid-until " + time(p.validUntil()))
                + (p.revoked() ? " REVOKED " + time(p.revokedAt()) : "");
    }

    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    @Command(name = "show", description = "Show every key of ADDRESS (or the key with a FINGERPRINT) in detail.")
    int show(@Parameters(paramLabel = "ADDRESS|FINGERPRINT") String what) {
        try (Store s = store.open()) {
            List<Object> found = new ArrayList<>();
            if (what.contains("@")) {
                String a = canonical(what);
                if (s.directory().account(a).isPresent()) found.addAll(s.keys().own(a));
                found.addAll(s.keys().peers(a));
            } else {
                String f = what.replace(" ", "").toUpperCase(Locale.ROOT);
                for (Keys.Type t : Keys.Type.values()) s.keys().ownByFingerprint(t, f).ifPresent(found::add);
                s.keys().peers(null).stream().filter(p -> p.fingerprint().equals(f)).forEach(found::add);
            }
            if (found.isEmpty()) throw new Main.UserError("no key for " + what);
            for (Object o : found) describe(o);
        }
        return 0;
    }

    private static void describe(Object o) {
        byte[] pub;
        Keys.Type type;
        if (o instanceof Keys.OwnKey k) {
            System.out.println(ownLine(k));
            pub = k.publicKey();
            type = k.type();
        } else {
            Keys.PeerKey p = (Keys.PeerKey) o;
            System.out.println(peerLine(p));
            pub = p.publicKey();
            type = p.type();
        }
        if (type == Keys.Type.OPENPGP) {
            List<KeyMaterial.Item> items = KeyMaterial.readPgp(pub);
            KeyMaterial.Item it = items.getFirst();
            System.out.println("  addresses: " + String.join(", ", it.addresses()));
            System.out.println("  created: " + time(it.validFrom()) + (it.validUntil() == null ? ", no expiry" : ", expires " + time(it.validUntil())));
        } else {
            try {
                X509Certificate c = certificate(pub);
                System.out.println("  subject: " + c.getSubjectX500Principal().getName());
                System.out.println("  issuer: " + c.getIssuerX500Principal().getName());
                System.out.println("  addresses: " + String.join(", ", KeyMaterial.emailsOf(c)));
                System.out.println("  valid: " + time(c.getNotBefore().toInstant()) + " to " + time(c.getNotAfter().toInstant()));
            } catch (CertificateException e) {
                System.out.println("  (certificate does not parse: " + e.getMessage() + ")");
            }
        }
    }

    @Command(name = "revoke", description = "Mark the key with FINGERPRINT revoked: no longer used or published (own keys) or trusted (others').")
    int revoke(@Parameters(paramLabel = "FINGERPRINT") String fingerprint) {
        String f = fingerprint.replace(" ", "").toUpperCase(Locale.ROOT);
        int n = 0;
        try (Store s = store.open()) {
            for (Keys.Type t : Keys.Type.values()) {
                Optional<Keys.OwnKey> own = s.keys().ownByFingerprint(t, f);
                if (own.isPresent() && s.keys().revokeOwn(own.get().id())) n++;
            }
            for (Keys.PeerKey p : s.keys().peers(null)) {
                if (p.fingerprint().equals(f) && s.keys().revokePeer(p.id())) n++;
            }
        }
        if (n == 0) throw new Main.UserError("no unrevoked key " + f);
        System.out.println("revoked " + n + " key" + (n == 1 ? "" : "s") + " " + f);
        return 0;
    }

    @Command(name = "lookup", description = "Which key would be used for ADDRESS, where it came from and whether it is trusted.")
    int lookup(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = canonical(address);
        List<String> lines = new ArrayList<>();
        try (Store s = store.open()) {
            boolean local = s.directory().account(a).isPresent();
            Instant now = Instant.now();
            for (Keys.Type t : Keys.Type.values()) {
                if (local) {
                    s.keys().currentOwn(a, t).ifPresent(k -> lines.add(t.label() + " " + k.fingerprint() + " origin own (local account) trusted yes"));
                } else {
                    best(s.keys().peers(a), t, now).ifPresent(p -> lines.add(t.label() + " " + p.fingerprint() + " origin " + p.origin().label()
                            + " trusted " + (p.origin() == Keys.Origin.IMPORT ? "yes (imported by an administrator)" : "no (discovered)")
                            + (p.validUntil() == null ? "" : " valid-until " + time(p.validUntil()))));
                }
            }
        }
        if (lines.isEmpty()) {
            System.out.println("none: no usable key for " + a);
            return 1;
        }
        lines.forEach(System.out::println);
        return 0;
    }

    @Command(name = "discover", description = "Look up ADDRESS's keys by WKD (advanced, then direct method), OPENPGPKEY and SMIMEA"
            + " (DNSSEC-validated answers only); print what each method found and store the keys found (origin wkd, openpgpkey, smimea).")
    int discover(@Parameters(paramLabel = "ADDRESS") String address,
                 @Option(names = "--zone", paramLabel = "FILE", description = "Resolve only from this RFC 1035 master file (test labs).") Path zone,
                 @Option(names = "--zone-validated", description = "Treat the --zone answers as DNSSEC-validated (test labs only).") boolean zoneValidated,
                 @Option(names = "--wkd-port", paramLabel = "PORT", description = "Port of WKD hosts (default: secure.wkd_port, 443).") Integer wkdPort,
                 @Option(names = "--ca", paramLabel = "FILE", description = "Also trust these PEM CA certificates for WKD hosts (default: queue.tls_ca).") Path ca,
                 @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20", description = "Time for all methods together (default 20).") int timeout) {
        String a = canonical(address);
        dev.sealpost.app.config.SealpostConfig cfg = store.named() || System.getenv("SEALPOST_CONFIG") != null ? store.config() : null;
        dev.sealpost.dns.Resolver resolver;
        List<X509Certificate> cas = new ArrayList<>();
        try {
            if (zone != null) resolver = dev.sealpost.dns.ZoneResolver.fromMasterFile(zone, zoneValidated);
            else if (cfg != null) resolver = dev.sealpost.app.SealpostServer.resolver(cfg.dns());
            else resolver = new dev.sealpost.dns.DnsJavaResolver(dev.sealpost.dns.DnsSettings.defaults());
            Path caFile = ca != null ? ca : cfg != null ? cfg.queue().tlsCa() : null;
            if (caFile != null) cas.addAll(dev.sealpost.tlspolicy.TrustStores.readCertificates(caFile));
        } catch (IOException e) {
            throw new Main.UserError(e.getMessage());
        }
        int port = wkdPort != null ? wkdPort : cfg != null ? cfg.secure().wkdPort() : 443;
        dev.sealpost.core.net.dial.HttpsGet https = new dev.sealpost.core.net.dial.HttpsGet(dev.sealpost.app.SealpostServer.dialer(resolver),
                dev.sealpost.tlspolicy.TrustStores.clientContext(dev.sealpost.tlspolicy.TrustStores.trustManager(cas, true)), "Sealpost key discovery");
        dev.sealpost.inbound.secure.discovery.KeyDiscovery.Report r;
        try (Store s = store.open()) {
            if (s.directory().account(a).isPresent()) throw new Main.UserError(a + " is a local account: its keys are its own ('keys show')");
            var d = new dev.sealpost.inbound.secure.discovery.KeyDiscovery(s.keys(), resolver, https, Clock.systemUTC(),
                    new dev.sealpost.inbound.secure.discovery.KeyDiscovery.Settings(true, true, port));
            r = d.discover(a, java.time.Duration.ofSeconds(Math.max(1, timeout)));
        }
        for (var f : r.findings()) System.out.println(f);
        System.out.println(r.found() ? "found: stored for " + a + " ('keys lookup " + a + "')" : "none: no key found for " + a);
        return r.found() ? 0 : 1;
    }

    @Command(name = "policy", description = "Show or set the message-security policy of a DOMAIN or an ADDRESS (local or a recipient's);"
            + " without arguments list every policy. Defaults: sign never, encrypt tagged, inbound keep (docs/keys.md \"Policy\").")
    int policy(@Parameters(arity = "0..1", paramLabel = "DOMAIN|ADDRESS") String scope,
               @Option(names = "--sign", paramLabel = "never|always", description = "Sign submitted mail with the sender's key.") String sign,
               @Option(names = "--encrypt", paramLabel = "never|tagged|when-possible|required",
                       description = "Encrypt submitted mail: never; when tagged ([secure] in the Subject); when every recipient has a key; always (else 550 5.7.5).") String encrypt,
               @Option(names = "--inbound", paramLabel = "keep|decrypt",
                       description = "Encrypted mail received for a local account: keep it as it came, or decrypt it with the account's key (gateway mode).") String inbound,
               @Option(names = "--remove", description = "Remove the policy of DOMAIN|ADDRESS (its domain's or the defaults apply).") boolean remove) {
        if ("encrypt-at-rest".equalsIgnoreCase(inbound)) {
            throw new Main.UserError("--inbound encrypt-at-rest is not implemented yet (keep or decrypt)");
        }
        try (Store s = store.open()) {
            if (scope == null) {
                if (sign != null || encrypt != null || inbound != null || remove) throw new Main.UserError("name a DOMAIN or an ADDRESS to change");
                List<Keys.Policy> all = s.keys().policies();
                if (all.isEmpty()) System.out.println("no policies: every account has the defaults (sign never, encrypt tagged, inbound keep)");
                for (Keys.Policy p : all) System.out.println(policyLine(p));
                return 0;
            }
            String x = scope.strip().toLowerCase(Locale.ROOT);
            if (remove) {
                if (sign != null || encrypt != null || inbound != null) throw new Main.UserError("--remove takes no other option");
                boolean gone = s.keys().removePolicy(x);
                System.out.println(gone ? "removed the policy of " + x : "no policy for " + x);
                return gone ? 0 : 1;
            }
            if (sign != null || encrypt != null || inbound != null) {
                try {
                    System.out.println("set " + policyLine(s.keys().putPolicy(x, sign, encrypt, inbound)));
                } catch (dev.sealpost.store.DirectoryException e) {
                    throw new Main.UserError(e.getMessage());
                }
            } else {
                Optional<Keys.Policy> row = s.keys().policy(x);
                System.out.println(row.map(KeysCommand::policyLine).orElse(x + ": no policy of its own"));
            }
            if (x.contains("@")) {
                dev.sealpost.inbound.secure.SecurePolicy e = dev.sealpost.inbound.secure.SecurePolicy.of(s.keys(), x);
                System.out.println("in force for " + x + ": sign " + e.sign().name().toLowerCase(Locale.ROOT) + " encrypt " + e.encrypt().label()
                        + " inbound " + e.inbound().name().toLowerCase(Locale.ROOT));
            }
        }
        return 0;
    }

    static String policyLine(Keys.Policy p) {
        return p.scope() + ": sign " + (p.sign() == null ? "-" : p.sign()) + " encrypt " + (p.encrypt() == null ? "-" : p.encrypt())
                + " inbound " + (p.inbound() == null ? "-" : p.inbound());
    }

    @Command(name = "rotate-kek", description = "Make a new key-encryption key and re-seal every stored private key under it.")
    int rotateKek() {
        try (Store s = store.open()) {
            String before = s.keys().kekId();
            int n = s.keys().rotateKek();
            System.out.println("key-encryption key " + before + " replaced by " + s.keys().kekId() + "; " + n + " private keys re-sealed");
        }
        return 0;
    }

    static String canonical(String address) {
        return EmailAddress.parse(address.strip()).orElseThrow(() -> new Main.UserError("not a mail address: " + address)).canonical();
    }
}
