package dev.sealpost.tlspolicy.dane;

import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.tlspolicy.internal.HostNames;

import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Matches a server certificate chain against usable TLSA records (RFC 7672 §3.1, RFC 6698 §2.1,
 * RFC 7671 §5).
 * <ul>
 *   <li>DANE-EE(3): the leaf certificate (selector 0) or its SubjectPublicKeyInfo (selector 1),
 *       in full (0), SHA-256 (1) or SHA-512 (2), matches; names, expiry and the rest of the chain
 *       are ignored (RFC 7672 §3.1.1).</li>
 *   <li>DANE-TA(2): an issuer certificate in the presented chain (depth ≥ 1) matches; the chain
 *       from the leaf must then validate up to that trust anchor (signatures, validity dates,
 *       CA constraints: PKIX with the matched certificate as the only anchor, no revocation), and
 *       the leaf must name one of the reference identifiers (RFC 7672 §3.1.2, §3.2.2): DNS-IDs
 *       (subjectAltName dNSName) or, when there are none, the subject CN; a wildcard only as the
 *       whole leftmost label (RFC 7672 §3.2.3).</li>
 *   <li>PKIX-TA(0), PKIX-EE(1) and malformed records are skipped (RFC 7672 §3.1.3).</li>
 * </ul>
 */
public final class TlsaMatcher {
    private TlsaMatcher() {}

    /**
     * @param records        TLSA records (unusable ones are ignored)
     * @param chain          the chain the server presented, leaf first
     * @param referenceNames names the leaf may carry for DANE-TA: the TLSA base domain (the MX host
     *                       after any secure CNAME expansion), the MX host name, optionally the
     *                       next-hop domain (RFC 7672 §3.2.2)
     * @param now            the time for DANE-TA validity checks
     */
    public static DaneVerdict verify(List<TlsaRecord> records, List<X509Certificate> chain, Set<String> referenceNames, Date now) {
        if (chain == null || chain.isEmpty()) return new DaneVerdict.Failed(DaneVerdict.Reason.NO_CERTIFICATE, "no certificate");
        List<TlsaRecord> usable = new ArrayList<>();
        for (TlsaRecord r : records) if (DanePolicy.usable(r)) usable.add(r);
        if (usable.isEmpty()) return new DaneVerdict.Failed(DaneVerdict.Reason.NO_USABLE_RECORDS, "no usable TLSA record");
        X509Certificate leaf = chain.getFirst();
        // RFC 7672 §3.1.1: DANE-EE(3) first; it needs nothing else
        for (TlsaRecord r : usable) {
            if (r.usage() == DanePolicy.DANE_EE && matches(r, leaf)) return new DaneVerdict.Matched(r, 0);
        }
        DaneVerdict.Failed firstFailure = null;
        // RFC 7672 §3.1.2: DANE-TA(2), against the issuers the server presented
        for (int depth = 1; depth < chain.size(); depth++) {
            for (TlsaRecord r : usable) {
                if (r.usage() != DanePolicy.DANE_TA || !matches(r, chain.get(depth))) continue;
                DaneVerdict.Failed f = validateTo(chain, depth, now);
                if (f == null) f = checkNames(leaf, referenceNames);
                if (f == null) return new DaneVerdict.Matched(r, depth);
                if (firstFailure == null) firstFailure = f;
            }
        }
        if (firstFailure != null) return firstFailure;
        return new DaneVerdict.Failed(DaneVerdict.Reason.NO_MATCH, "no TLSA record matches the certificate chain");
    }

    /** Whether one record matches one certificate (RFC 6698 §2.1.2, §2.1.3). */
    public static boolean matches(TlsaRecord r, X509Certificate cert) {
        byte[] selected;
        try {
            selected = switch (r.selector()) {
                case DanePolicy.SELECTOR_CERT -> cert.getEncoded();
                case DanePolicy.SELECTOR_SPKI -> cert.getPublicKey().getEncoded();
                default -> null;
            };
        } catch (CertificateEncodingException e) {
            return false;
        }
        if (selected == null) return false;
        byte[] data = r.data();
        byte[] candidate = switch (r.matchingType()) {
            case DanePolicy.MATCH_FULL -> selected;
            case DanePolicy.MATCH_SHA256 -> digest("SHA-256", selected);
            case DanePolicy.MATCH_SHA512 -> digest("SHA-512", selected);
            default -> null;
        };
        return candidate != null && MessageDigest.isEqual(candidate, data);
    }

    /** The association data for a certificate, e.g. for publishing our own TLSA records ({@code 3 1 1}). */
    public static byte[] associationData(X509Certificate cert, int selector, int matchingType) {
        byte[] selected;
        try {
            selected = selector == DanePolicy.SELECTOR_CERT ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
        return switch (matchingType) {
            case DanePolicy.MATCH_FULL -> selected;
            case DanePolicy.MATCH_SHA256 -> digest("SHA-256", selected);
            case DanePolicy.MATCH_SHA512 -> digest("SHA-512", selected);
            default -> throw new IllegalArgumentException("matching type " + matchingType);
        };
    }

    private static byte[] digest(String alg, byte[] in) {
        try {
            return MessageDigest.getInstance(alg).digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKIX validation of chain[0 .. depth-1] with chain[depth] as the only trust anchor; null when valid. */
    private static DaneVerdict.Failed validateTo(List<X509Certificate> chain, int depth, Date now) {
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, depth));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(depth), null)));
            params.setRevocationEnabled(false);
            params.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(path, params);
            return null;
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID
                    || e.getCause() instanceof CertificateExpiredException || e.getCause() instanceof CertificateNotYetValidException) {
                return new DaneVerdict.Failed(DaneVerdict.Reason.EXPIRED, "certificate outside its validity period: " + e.getMessage());
            }
            return new DaneVerdict.Failed(DaneVerdict.Reason.CHAIN_INVALID, "chain does not validate to the DANE-TA anchor: " + e.getMessage());
        } catch (CertificateException | NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            return new DaneVerdict.Failed(DaneVerdict.Reason.CHAIN_INVALID, "chain does not validate: " + e.getMessage());
        }
    }

    /** RFC 7672 §3.2.2-3.2.3 name checks; null when a reference identifier matches. */
    private static DaneVerdict.Failed checkNames(X509Certificate leaf, Set<String> referenceNames) {
        List<String> names = certificateNames(leaf);
        for (String name : names) {
            for (String ref : referenceNames) if (HostNames.matches(name, ref)) return null;
        }
        return new DaneVerdict.Failed(DaneVerdict.Reason.NAME_MISMATCH,
                "certificate names " + names + " match none of " + referenceNames);
    }

    /** The DNS-IDs of a certificate, or its subject CN when it has none (RFC 6125 §6.4.4). */
    public static List<String> certificateNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        if (!out.isEmpty()) return out;
        String dn = cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) out.add(cn.toLowerCase(Locale.ROOT));
            }
        } catch (javax.naming.InvalidNameException e) {
            return out;
        }
        return out;
    }
}
