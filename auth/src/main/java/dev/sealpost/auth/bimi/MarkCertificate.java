package dev.sealpost.auth.bimi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validation of a BIMI Evidence Document that is a Verified Mark Certificate or Common Mark
 * Certificate (VMC/CMC: an X.509 certificate chain in PEM; BIMI draft §8.4 "Indicator Discovery
 * With Evidence" defers the format to the VMC documents): the chain validates with PKIX to one
 * of the configured mark roots at the given time (no revocation check), the leaf's extended key
 * usage is id-kp-BrandIndicatorforMessageIdentification (1.3.6.1.5.5.7.3.31), a subjectAltName
 * dNSName is the assertion domain or {@code <selector>._bimi.<domain>}, and the RFC 3709
 * logotype extension (1.3.6.1.5.5.7.1.12) carries, as the subject logotype, an
 * {@code image/svg+xml} in a {@code data:} URI whose RFC 3709 hash matches it. The embedded SVG
 * (uncompressed) is returned so that the caller can compare it with the {@code l=} Indicator
 * (§8.9: "the MTA MUST perform checks to ensure that the SVG Indicator referenced by the
 * bimi-location is identical to the SVG Indicator extracted from the BIMI Evidence Document").
 *
 * <p>Security: the PEM is untrusted (fetched from a URL in a sender's DNS); it is size-bounded,
 * parsed by the JDK's X.509 code, and the logotype DER by the bounded {@link Der} reader.
 * Nothing referenced by the certificate is fetched (indirect logotypes are refused).
 */
public final class MarkCertificate {
    /** RFC 3709 §4.1 id-pe-logotype. */
    public static final String LOGOTYPE_OID = "1.3.6.1.5.5.7.1.12";
    /** id-kp-BrandIndicatorforMessageIdentification (VMC Guidelines). */
    public static final String BIMI_EKU = "1.3.6.1.5.5.7.3.31";
    /** Largest Evidence Document accepted. */
    public static final int MAX_PEM_BYTES = 64 * 1024;
    /** Most certificates in one Evidence Document. */
    public static final int MAX_CERTIFICATES = 10;

    private static final Map<String, String> HASHES = Map.of(
            "2.16.840.1.101.3.4.2.1", "SHA-256",
            "2.16.840.1.101.3.4.2.2", "SHA-384",
            "2.16.840.1.101.3.4.2.3", "SHA-512");

    private MarkCertificate() {}

    /** The outcome of {@link #validate}. */
    public sealed interface Result permits Valid, Invalid {}

    /**
     * A valid mark certificate.
     *
     * @param leaf      the mark certificate
     * @param indicator the SVG it carries, uncompressed
     */
    public record Valid(X509Certificate leaf, byte[] indicator) implements Result {
        public Valid {
            indicator = indicator.clone();
        }

        @Override
        public byte[] indicator() {
            return indicator.clone();
        }
    }

    /** Not valid evidence, with the reason. */
    public record Invalid(String reason) implements Result {}

    /**
     * @param pem      the Evidence Document (certificates, leaf first)
     * @param anchors  the mark roots trusted
     * @param at       the validation time
     * @param domain   the domain whose assertion record named the document (header.d)
     * @param selector the selector used
     */
    public static Result validate(byte[] pem, Set<TrustAnchor> anchors, Instant at, String domain, String selector) {
        if (pem.length > MAX_PEM_BYTES) return new Invalid("evidence document larger than " + MAX_PEM_BYTES + " bytes");
        if (anchors.isEmpty()) return new Invalid("no mark certificate roots configured");
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(pem));
            for (Certificate c : certs) {
                if (!(c instanceof X509Certificate x)) return new Invalid("not an X.509 certificate");
                chain.add(x);
            }
        } catch (CertificateException | RuntimeException e) {
            return new Invalid("evidence document is not a PEM certificate chain: " + BimiRecord.clip(String.valueOf(e.getMessage())));
        }
        if (chain.isEmpty()) return new Invalid("evidence document holds no certificate");
        if (chain.size() > MAX_CERTIFICATES) return new Invalid("more than " + MAX_CERTIFICATES + " certificates");
        // a root sent along is not part of the path: the trust anchor comes from our configuration
        while (chain.size() > 1 && selfIssued(chain.getLast())) chain.removeLast();
        X509Certificate leaf = chain.getFirst();
        try {
            CertPath path = cf.generateCertPath(chain);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertPathValidatorException e) {
            return new Invalid("mark certificate chain not valid: " + BimiRecord.clip(String.valueOf(e.getMessage())));
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Invalid("mark certificate chain not checkable: " + BimiRecord.clip(String.valueOf(e.getMessage())));
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku == null || !eku.contains(BIMI_EKU)) return new Invalid("mark certificate lacks the BIMI extended key usage " + BIMI_EKU);
        } catch (CertificateParsingException e) {
            return new Invalid("mark certificate extended key usage unreadable");
        }
        if (!namesDomain(leaf, domain, selector)) {
            return new Invalid("mark certificate subjectAltName names neither " + domain + " nor " + selector + "._bimi." + domain);
        }
        byte[] ext = leaf.getExtensionValue(LOGOTYPE_OID);
        if (ext == null) return new Invalid("mark certificate has no logotype extension");
        try {
            return new Valid(leaf, subjectLogoSvg(ext));
        } catch (Der.Malformed e) {
            return new Invalid("logotype extension: " + e.getMessage());
        }
    }

    /** Trust anchors from CA certificates (configuration). */
    public static Set<TrustAnchor> anchors(List<X509Certificate> roots) {
        Set<TrustAnchor> out = new java.util.HashSet<>();
        for (X509Certificate c : roots) out.add(new TrustAnchor(c, null));
        return Set.copyOf(out);
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    private static boolean namesDomain(X509Certificate leaf, String domain, String selector) {
        String d = domain.toLowerCase(Locale.ROOT);
        String withSelector = selector.toLowerCase(Locale.ROOT) + "._bimi." + d;
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) return false;
            for (List<?> n : names) {
                if (n.size() < 2 || !(n.get(0) instanceof Integer type) || type != 2 || !(n.get(1) instanceof String name)) continue;
                String v = name.toLowerCase(Locale.ROOT);
                if (v.endsWith(".")) v = v.substring(0, v.length() - 1);
                if (v.equals(d) || v.equals(withSelector)) return true;
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /**
     * The subject logotype's SVG from the extension value (an OCTET STRING holding LogotypeExtn).
     *
     * <pre>
     * LogotypeExtn ::= SEQUENCE {                                  -- RFC 3709 §4.1, IMPLICIT TAGS
     *    communityLogos  [0] EXPLICIT SEQUENCE OF LogotypeInfo OPTIONAL,
     *    issuerLogo      [1] EXPLICIT LogotypeInfo OPTIONAL,
     *    subjectLogo     [2] EXPLICIT LogotypeInfo OPTIONAL,
     *    otherLogos      [3] EXPLICIT SEQUENCE OF OtherLogotypeInfo OPTIONAL }
     * LogotypeInfo ::= CHOICE { direct [0] LogotypeData, indirect [1] LogotypeReference }
     * LogotypeData ::= SEQUENCE { image SEQUENCE OF LogotypeImage OPTIONAL, audio [1] SEQUENCE OF LogotypeAudio OPTIONAL }
     * LogotypeImage ::= SEQUENCE { imageDetails LogotypeDetails, imageInfo LogotypeImageInfo OPTIONAL }
     * LogotypeDetails ::= SEQUENCE { mediaType IA5String, logotypeHash SEQUENCE SIZE (1..MAX) OF HashAlgAndValue,
     *                                logotypeURI SEQUENCE SIZE (1..MAX) OF IA5String }
     * HashAlgAndValue ::= SEQUENCE { hashAlg AlgorithmIdentifier, hashValue OCTET STRING }
     * </pre>
     */
    static byte[] subjectLogoSvg(byte[] extensionValue) throws Der.Malformed {
        Der.Tlv octets = Der.parse(extensionValue);
        if (octets.tag() != 0x04) throw new Der.Malformed("extension value is not an OCTET STRING");
        Der.Tlv extn = Der.parse(octets.content());
        if (extn.tag() != 0x30) throw new Der.Malformed("LogotypeExtn is not a SEQUENCE");
        Der.Tlv subject = null;
        for (Der.Tlv t : extn.children()) if (t.tag() == 0xA2) subject = t;
        if (subject == null) throw new Der.Malformed("no subjectLogo");
        List<Der.Tlv> info = subject.children();
        if (info.size() != 1) throw new Der.Malformed("subjectLogo is not one LogotypeInfo");
        Der.Tlv choice = info.getFirst();
        if (choice.tag() == 0xA1) throw new Der.Malformed("indirect logotype references are not fetched");
        if (choice.tag() != 0xA0) throw new Der.Malformed("subjectLogo is not a direct LogotypeData");
        String lastProblem = "no image/svg+xml image";
        for (Der.Tlv field : choice.children()) {
            if (field.tag() != 0x30) continue; // image; [1] audio is ignored
            for (Der.Tlv image : field.children()) {
                if (image.tag() != 0x30) throw new Der.Malformed("LogotypeImage is not a SEQUENCE");
                List<Der.Tlv> parts = image.children();
                if (parts.isEmpty() || parts.getFirst().tag() != 0x30) throw new Der.Malformed("no LogotypeDetails");
                List<Der.Tlv> details = parts.getFirst().children();
                if (details.size() != 3 || details.get(0).tag() != 0x16 || details.get(1).tag() != 0x30 || details.get(2).tag() != 0x30) {
                    throw new Der.Malformed("LogotypeDetails is not mediaType, logotypeHash, logotypeURI");
                }
                String mediaType = details.get(0).ascii().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (!mediaType.equals("image/svg+xml")) continue;
                for (Der.Tlv uri : details.get(2).children()) {
                    if (uri.tag() != 0x16) throw new Der.Malformed("logotypeURI is not an IA5String");
                    byte[] data = dataUri(uri.ascii());
                    if (data == null) {
                        lastProblem = "logotype URI is not a base64 data: URI (remote logotypes are not fetched)";
                        continue;
                    }
                    String hashProblem = checkHashes(details.get(1), data);
                    if (hashProblem != null) throw new Der.Malformed(hashProblem);
                    try {
                        return SvgTinyPs.gunzipIfCompressed(data, SvgTinyPs.MAX_BYTES);
                    } catch (IOException e) {
                        throw new Der.Malformed("logotype SVG: " + e.getMessage());
                    }
                }
            }
        }
        throw new Der.Malformed(lastProblem);
    }

    /** Null when every hash in a known algorithm matches and there is at least one; else the problem. */
    private static String checkHashes(Der.Tlv hashes, byte[] data) throws Der.Malformed {
        int checked = 0;
        for (Der.Tlv h : hashes.children()) {
            List<Der.Tlv> hv = h.children();
            if (hv.size() != 2 || hv.get(0).tag() != 0x30 || hv.get(1).tag() != 0x04) throw new Der.Malformed("bad HashAlgAndValue");
            List<Der.Tlv> alg = hv.get(0).children();
            if (alg.isEmpty()) throw new Der.Malformed("empty AlgorithmIdentifier");
            String name = HASHES.get(alg.getFirst().oid());
            if (name == null) continue; // RFC 3709 §4.1 also allows SHA-1; VMCs use SHA-256: weaker ones are not counted
            try {
                byte[] want = hv.get(1).content();
                if (!MessageDigest.isEqual(MessageDigest.getInstance(name).digest(data), want)) return "logotype hash (" + name + ") does not match the embedded image";
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(name, e);
            }
            checked++;
        }
        return checked == 0 ? "no logotype hash in SHA-256, SHA-384 or SHA-512" : null;
    }

    /** The bytes of a {@code data:<type>;base64,<data>} URI (RFC 2397), or null when it is not one. */
    static byte[] dataUri(String uri) {
        if (!uri.regionMatches(true, 0, "data:", 0, 5)) return null;
        int comma = uri.indexOf(',');
        if (comma < 0) return null;
        String meta = uri.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!meta.endsWith(";base64")) return null;
        try {
            return Base64.getMimeDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
