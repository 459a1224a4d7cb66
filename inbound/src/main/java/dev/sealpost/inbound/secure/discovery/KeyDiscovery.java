package dev.sealpost.inbound.secure.discovery;

import dev.sealpost.core.net.dial.HttpsGet;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.inbound.secure.SecureKeys;
import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.WebKeyDirectory;
import dev.sealpost.store.Keys;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a remote address's keys by WKD, OPENPGPKEY and SMIMEA, and stores them in the key store
 * with their origin ({@link Keys.Origin#WKD}, {@link Keys.Origin#OPENPGPKEY},
 * {@link Keys.Origin#SMIMEA}), the fetch time (added / last seen) and the validity the key states.
 * Thread-safe.
 */
public final class KeyDiscovery {
    private static final Logger log = LoggerFactory.getLogger(KeyDiscovery.class);

    /** Largest WKD body read (a certificate with a few User IDs and subkeys is a few KiB). */
    public static final int MAX_WKD_BYTES = 256 * 1024;
    /** How long an address with nothing found is not asked again. */
    public static final Duration NEGATIVE_TTL = Duration.ofMinutes(15);
    /** How long a discovered key is used before it is looked up again (when it is next needed). */
    public static final Duration REFRESH_AFTER = Duration.ofHours(24);
    private static final int MAX_NEGATIVE_ENTRIES = 10_000;

    /** The methods, in the order they are tried. */
    public enum Method {
        WKD_ADVANCED("wkd (advanced)"), WKD_DIRECT("wkd (direct)"), OPENPGPKEY("openpgpkey"), SMIMEA("smimea");

        public final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /** What one method gave. */
    public enum Outcome {
        /** A usable key, stored. */
        FOUND,
        /** A definite "nothing published" (404, NXDOMAIN, no data). */
        NONE,
        /** Something was there but not used (insecure DNS answer, wrong address, unusable key). */
        IGNORED,
        /** Could not tell (network, timeout, SERVFAIL/bogus): not cached as "none" for long. */
        ERROR,
        /** Not tried (off, out of time, or the method does not apply). */
        SKIPPED
    }

    /** One method's result; {@code fingerprint} is set for FOUND. */
    public record Finding(Method method, Outcome outcome, String fingerprint, String detail) {
        @Override
        public String toString() {
            return method.label + ": " + outcome.name().toLowerCase(Locale.ROOT) + (fingerprint == null ? "" : " " + fingerprint)
                    + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** Every method's result for one address. */
    public record Report(String address, List<Finding> findings) {
        public boolean found() {
            return findings.stream().anyMatch(f -> f.outcome() == Outcome.FOUND);
        }

        /** True when every method tried answered definitely (nothing could not be told). */
        public boolean definite() {
            return findings.stream().noneMatch(f -> f.outcome() == Outcome.ERROR
                    || f.outcome() == Outcome.SKIPPED && "out of time".equals(f.detail()));
        }
    }

    /**
     * @param wkd     look up WKD
     * @param dns     look up OPENPGPKEY and SMIMEA
     * @param wkdPort the port of WKD hosts (443; another only in test labs)
     */
    public record Settings(boolean wkd, boolean dns, int wkdPort) {
        public static Settings defaults() {
            return new Settings(true, true, 443);
        }
    }

    private final Keys keys;
    private final Resolver resolver;
    private final HttpsGet https;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Instant> negative = new ConcurrentHashMap<>();

    /** @param https null: no WKD */
    public KeyDiscovery(Keys keys, Resolver resolver, HttpsGet https, Clock clock, Settings settings) {
        this.keys = keys;
        this.resolver = resolver;
        this.https = https;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Discovery for a recipient that needs a key, unless nothing was found for it lately or a
     * discovered key of it was fetched less than {@link #REFRESH_AFTER} ago.
     *
     * @return true when a key was found and stored
     */
    public boolean discoverIfDue(String address, Duration budget) {
        String a = address.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Instant until = negative.get(a);
        if (until != null && now.isBefore(until)) return false;
        Report r = discover(a, budget);
        if (!r.found()) {
            if (negative.size() >= MAX_NEGATIVE_ENTRIES) negative.clear(); // bounded: forget all rather than grow
            // a definite "none" is kept for NEGATIVE_TTL, a failure for a minute (do not stall every message on it)
            negative.put(a, now.plus(r.definite() ? NEGATIVE_TTL : Duration.ofMinutes(1)));
        } else {
            negative.remove(a);
        }
        return r.found();
    }

    /** Whether a stored key came from discovery and is due to be looked up again. */
    public boolean stale(Keys.PeerKey k) {
        boolean discovered = k.origin() == Keys.Origin.WKD || k.origin() == Keys.Origin.OPENPGPKEY || k.origin() == Keys.Origin.SMIMEA;
        return discovered && k.lastSeen().plus(REFRESH_AFTER).isBefore(clock.instant());
    }

    /** Runs every method for {@code address} within {@code budget}, storing what is found. */
    public Report discover(String address, Duration budget) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) throw new IllegalArgumentException("not a mail address: " + address);
        String local = a.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(a.substring(at + 1), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a mail domain: " + address);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<Finding> out = new ArrayList<>();
        // draft-koch-openpgp-webkey-service §3.1: the advanced method first; the direct one only
        // "if the required sub-domain does not exist"
        if (settings.wkd() && https != null) {
            Finding adv = wkd(Method.WKD_ADVANCED, a, WebKeyDirectory.advancedUrl(a), deadline);
            out.add(adv);
            if (adv.outcome() == Outcome.SKIPPED && "no such host".equals(adv.detail())) {
                out.set(out.size() - 1, new Finding(Method.WKD_ADVANCED, Outcome.NONE, null, "openpgpkey." + domain + " does not exist"));
                out.add(wkd(Method.WKD_DIRECT, a, WebKeyDirectory.directUrl(a), deadline));
            }
        } else {
            out.add(new Finding(Method.WKD_ADVANCED, Outcome.SKIPPED, null, "WKD off"));
        }
        if (settings.dns()) {
            out.add(openpgpkey(a, local, domain, deadline));
            out.add(smimea(a, local, domain, deadline));
        } else {
            out.add(new Finding(Method.OPENPGPKEY, Outcome.SKIPPED, null, "DNS discovery off"));
        }
        Report r = new Report(a, List.copyOf(out));
        log.info("key discovery {}: {}", a, r.findings());
        return r;
    }

    // ---- WKD

    private Finding wkd(Method m, String address, String url, long deadline) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.toMillis() < 50) return new Finding(m, Outcome.SKIPPED, null, "out of time");
        URI uri = URI.create(url);
        if (settings.wkdPort() != 443) {
            uri = URI.create("https://" + uri.getHost() + ":" + settings.wkdPort() + uri.getRawPath() + "?" + uri.getRawQuery());
        }
        Duration connect = left.compareTo(Duration.ofSeconds(5)) < 0 ? left : Duration.ofSeconds(5);
        HttpsGet.Result res = https.get(uri, "application/octet-stream", new HttpsGet.Limits(connect, left, MAX_WKD_BYTES, 16 * 1024));
        switch (res) {
            case HttpsGet.Failure f -> {
                if (f.kind() == HttpsGet.Failure.Kind.NAME_NOT_FOUND) return new Finding(m, Outcome.SKIPPED, null, "no such host");
                return new Finding(m, Outcome.ERROR, null, f.kind().name().toLowerCase(Locale.ROOT) + ": " + f.detail());
            }
            case HttpsGet.Response r -> {
                if (r.status() == 404) return new Finding(m, Outcome.NONE, null, "404");
                if (r.status() != 200) return new Finding(m, Outcome.ERROR, null, "HTTP " + r.status());
                return openPgp(m, address, r.body(), Keys.Origin.WKD);
            }
        }
    }

    // ---- DNS

    /** RFC 7929 §3: hex of the SHA2-256 of the local part, truncated to 28 octets, then the label. */
    public static String dnsName(String local, String domain, String label) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(local.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 28) + "." + label + "." + domain;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Finding openpgpkey(String address, String local, String domain, long deadline) {
        if (System.nanoTime() > deadline) return new Finding(Method.OPENPGPKEY, Outcome.SKIPPED, null, "out of time");
        String name = dnsName(local, domain, "_openpgpkey"); // RFC 7929 §3
        DnsAnswer<byte[]> ans = resolver.openpgpkey(name);
        Finding bad = dnsStatus(Method.OPENPGPKEY, name, ans);
        if (bad != null) return bad;
        Finding last = null;
        for (byte[] cert : ans.records()) {
            last = openPgp(Method.OPENPGPKEY, address, cert, Keys.Origin.OPENPGPKEY);
            if (last.outcome() == Outcome.FOUND) return last;
        }
        return last;
    }

    private Finding smimea(String address, String local, String domain, long deadline) {
        if (System.nanoTime() > deadline) return new Finding(Method.SMIMEA, Outcome.SKIPPED, null, "out of time");
        String name = dnsName(local, domain, "_smimecert"); // RFC 8162 §3
        DnsAnswer<TlsaRecord> ans = resolver.smimea(name);
        Finding bad = dnsStatus(Method.SMIMEA, name, ans);
        if (bad != null) return bad;
        String why = "";
        for (TlsaRecord t : ans.records()) {
            // RFC 8162 §2 / RFC 6698 §2.1: only selector 0 (full certificate) with matching type 0
            // (exact match) carries the certificate; hashes can only confirm one we already have
            if (t.selector() != 0 || t.matchingType() != 0) {
                why = "record " + t.usage() + " " + t.selector() + " " + t.matchingType() + " carries no certificate";
                continue;
            }
            X509Certificate c;
            try {
                c = SecureKeys.certificate(t.data());
            } catch (Exception e) {
                why = "certificate does not parse";
                continue;
            }
            if (!certificateNames(c, address)) {
                why = "certificate is not for " + address;
                continue;
            }
            Instant from = c.getNotBefore().toInstant(), until = c.getNotAfter().toInstant();
            if (clock.instant().isAfter(until)) {
                why = "certificate expired " + until;
                continue;
            }
            byte[] der = t.data();
            String fpr = SecureKeys.smimeFingerprint(der);
            keys.putPeer(address, Keys.Type.SMIME, fpr, der, Keys.Origin.SMIMEA, from, until);
            return new Finding(Method.SMIMEA, Outcome.FOUND, fpr, "DNSSEC-validated, usage " + t.usage());
        }
        return new Finding(Method.SMIMEA, Outcome.IGNORED, null, why);
    }

    /** Null when the answer has records and is DNSSEC-validated; else the finding that says why not. */
    private static Finding dnsStatus(Method m, String name, DnsAnswer<?> ans) {
        if (ans.temporaryFailure()) {
            // bogus answers are SERVFAIL from the validating resolver (RFC 4035 §5.5)
            return new Finding(m, Outcome.ERROR, null, name + ": " + ans.status() + " (failure or DNSSEC-bogus)");
        }
        if (ans.empty()) return new Finding(m, Outcome.NONE, null, ans.authentic() ? "none (validated)" : "none");
        // RFC 7929 §7 and RFC 8162 §8: without DNSSEC the record proves nothing: not used
        if (!ans.authentic()) {
            log.info("key discovery: {} record at {} ignored: the answer is not DNSSEC-validated (insecure)", m.label, name);
            return new Finding(m, Outcome.IGNORED, null, "answer not DNSSEC-validated (insecure)");
        }
        return null;
    }

    // ---- checks and storing

    private Finding openPgp(Method m, String address, byte[] data, Keys.Origin origin) {
        List<OpenPGPCertificate> certs;
        try {
            certs = OpenPgpKeys.readCertificates(data);
        } catch (OpenPgpException | RuntimeException e) {
            return new Finding(m, Outcome.IGNORED, null, "not an OpenPGP certificate: " + e.getMessage());
        }
        Date now = Date.from(clock.instant());
        String why = "no User ID with " + address;
        for (OpenPGPCertificate c : certs) {
            if (c.isSecretKey()) continue; // never store a secret key someone published by mistake
            // draft-koch-openpgp-webkey-service §3.1: the key MUST carry a User ID with the address
            boolean named = c.getValidUserIds(now).stream().anyMatch(u -> addressOf(u.getUserId()).equals(address));
            if (!named) continue;
            if (c.getEncryptionKeys(now).isEmpty()) {
                why = "no valid encryption subkey";
                continue;
            }
            Date exp = c.getExpirationTime(now);
            byte[] bin;
            try {
                bin = OpenPgpKeys.encode(c, false);
            } catch (java.io.IOException e) {
                why = "does not encode: " + e.getMessage();
                continue;
            }
            String fpr = OpenPgpKeys.fingerprint(c);
            keys.putPeer(address, Keys.Type.OPENPGP, fpr, bin, origin, c.getPrimaryKey().getCreationTime().toInstant(),
                    exp == null ? null : exp.toInstant());
            return new Finding(m, Outcome.FOUND, fpr, origin == Keys.Origin.WKD ? "HTTPS" : "DNSSEC-validated");
        }
        return new Finding(m, Outcome.IGNORED, null, why);
    }

    /** The mail address of a User ID: inside the last angle brackets, or the whole when it is a bare address; lower case. */
    static String addressOf(String userId) {
        String u = userId.strip();
        int lt = u.lastIndexOf('<'), gt = u.lastIndexOf('>');
        if (lt >= 0 && gt > lt) u = u.substring(lt + 1, gt).strip();
        return u.toLowerCase(Locale.ROOT);
    }

    private static boolean certificateNames(X509Certificate c, String address) {
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(1).equals(san.get(0)) && address.equalsIgnoreCase(String.valueOf(san.get(1)))) return true; // rfc822Name
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        String dn = c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253, Map.of("1.2.840.113549.1.9.1", "EMAILADDRESS"));
        return dn.toLowerCase(Locale.ROOT).contains("emailaddress=" + address);
    }
}
