package dev.sealpost.tlspolicy.dane;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.tlspolicy.internal.HostNames;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * DANE for SMTP (RFC 7672): TLSA look-up and classification for one MX host. Only
 * DNSSEC-validated ({@link DnsAnswer#authentic()}) answers count; an insecure answer means DANE
 * does not apply; a failed or bogus one means defer.
 */
public final class DanePolicy {
    /** RFC 6698 §2.1.1 certificate usages. */
    public static final int PKIX_TA = 0, PKIX_EE = 1, DANE_TA = 2, DANE_EE = 3;
    /** RFC 6698 §2.1.2 selectors. */
    public static final int SELECTOR_CERT = 0, SELECTOR_SPKI = 1;
    /** RFC 6698 §2.1.3 matching types. */
    public static final int MATCH_FULL = 0, MATCH_SHA256 = 1, MATCH_SHA512 = 2;

    private final Resolver resolver;

    public DanePolicy(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The TLSA query name for an SMTP server on port 25: {@code _25._tcp.<mxhost>} (RFC 7672 §2.2.3, RFC 6698 §3). */
    public static String tlsaName(String mxHost) {
        return tlsaName(mxHost, 25);
    }

    public static String tlsaName(String mxHost, int port) {
        String host = HostNames.normalize(mxHost).orElseThrow(() -> new IllegalArgumentException("not a host name: " + mxHost));
        return "_" + port + "._tcp." + host;
    }

    /**
     * The full look-up for an MX host reached through an MX RRset (RFC 7672 §2.2.1-2.2.3): DANE
     * applies only when the MX RRset was secure and the host's address records are secure; then the
     * TLSA RRset decides.
     *
     * @param mxHost      the MX exchange host name
     * @param mxRrsetSecure whether the MX answer (and any CNAME leading to it) was DNSSEC-validated;
     *                    pass true when the host is the domain itself (no MX, RFC 5321 §5.1 implicit MX)
     *                    and its address look-up was secure
     */
    public DaneLookup lookup(String mxHost, boolean mxRrsetSecure) {
        // RFC 7672 §2.2.1: an insecure MX RRset means DANE does not apply
        if (!mxRrsetSecure) return new DaneLookup.None("MX RRset is not DNSSEC-secure");
        Optional<String> host = HostNames.normalize(mxHost);
        if (host.isEmpty()) return new DaneLookup.None("not a host name: " + mxHost);
        // RFC 7672 §2.2.2: TLSA records are only looked up when the address records are secure
        DnsAnswer<InetAddress> a = resolver.a(host.get());
        DnsAnswer<InetAddress> aaaa = resolver.aaaa(host.get());
        if (a.temporaryFailure() && aaaa.temporaryFailure()) return new DaneLookup.TempFail("address look-up failed: " + a.status());
        if ((!a.records().isEmpty() && !a.authentic()) || (!aaaa.records().isEmpty() && !aaaa.authentic())) {
            return new DaneLookup.None("address records of " + host.get() + " are not DNSSEC-secure");
        }
        if (a.records().isEmpty() && aaaa.records().isEmpty() && !(a.temporaryFailure() || aaaa.temporaryFailure())) {
            return new DaneLookup.None("no address records for " + host.get());
        }
        return lookupTlsa(host.get());
    }

    /** Only the TLSA step (RFC 7672 §2.2.3), for callers that checked the MX and address records. */
    public DaneLookup lookupTlsa(String mxHost) {
        return classify(resolver.tlsa(tlsaName(mxHost)));
    }

    /** Classifies a TLSA answer (RFC 7672 §2.2). */
    public static DaneLookup classify(DnsAnswer<TlsaRecord> answer) {
        // a SERVFAIL (including DNSSEC-bogus, which our resolver reports as SERVFAIL) or timeout: defer
        if (answer.temporaryFailure()) return new DaneLookup.TempFail("TLSA look-up failed: " + answer.status());
        if (!answer.authentic()) return new DaneLookup.None("TLSA answer is not DNSSEC-secure");
        if (answer.records().isEmpty()) return new DaneLookup.None("no TLSA records");
        List<TlsaRecord> usable = new ArrayList<>();
        for (TlsaRecord r : answer.records()) if (usable(r)) usable.add(r);
        if (usable.isEmpty()) return new DaneLookup.UnusableOnly(answer.records());
        return new DaneLookup.Usable(strongestDigests(usable));
    }

    /**
     * Whether a record is usable for SMTP: DANE-TA(2) or DANE-EE(3) (PKIX-TA(0) and PKIX-EE(1) are
     * not, RFC 7672 §3.1.3), a known selector and matching type (RFC 6698 §2.1), and digest data of
     * the right length (RFC 7671 §4.1: malformed records are unusable).
     */
    public static boolean usable(TlsaRecord r) {
        if (r.usage() != DANE_TA && r.usage() != DANE_EE) return false;
        if (r.selector() != SELECTOR_CERT && r.selector() != SELECTOR_SPKI) return false;
        int len = r.data().length;
        return switch (r.matchingType()) {
            case MATCH_FULL -> len > 0;
            case MATCH_SHA256 -> len == 32;
            case MATCH_SHA512 -> len == 64;
            default -> false;
        };
    }

    /**
     * RFC 7671 §9 digest algorithm agility: for each (usage, selector) with both SHA-256 and
     * SHA-512 records, only the SHA-512 ones are used (so a weaker digest cannot be the one an
     * attacker targets).
     */
    static List<TlsaRecord> strongestDigests(List<TlsaRecord> records) {
        Set<Integer> withSha512 = new HashSet<>();
        for (TlsaRecord r : records) if (r.matchingType() == MATCH_SHA512) withSha512.add(r.usage() * 256 + r.selector());
        List<TlsaRecord> out = new ArrayList<>();
        for (TlsaRecord r : records) {
            if (r.matchingType() == MATCH_SHA256 && withSha512.contains(r.usage() * 256 + r.selector())) continue;
            out.add(r);
        }
        return out;
    }
}
