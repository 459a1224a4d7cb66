package dev.sealpost.secure.smime.internal;

import dev.sealpost.secure.smime.SmimeFailure;
import dev.sealpost.secure.smime.SmimeLimits;
import dev.sealpost.secure.smime.SmimeVerification;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPublicKey;
import java.security.spec.DSAPublicKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The per-signer work of {@link dev.sealpost.secure.smime.SmimeVerifier}: signature, chain, key usage, address. */
public final class SignerCheck {
    /** RFC 8551 §2.1 / RFC 6151: digests refused even on receipt (MD2, MD4, MD5) and their RSA signature OIDs. */
    private static final Set<String> WEAK = Set.of("1.2.840.113549.2.2", "1.2.840.113549.2.4", "1.2.840.113549.2.5",
            "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3", "1.2.840.113549.1.1.4");
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCerts;
    private final List<X509CRL> crls;
    private final Clock clock;
    private final SmimeLimits limits;

    public SignerCheck(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Clock clock, SmimeLimits limits) {
        this.anchorCerts = List.copyOf(trustAnchors);
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : anchorCerts) a.add(new TrustAnchor(c, null));
        this.anchors = Set.copyOf(a);
        this.crls = List.copyOf(crls);
        this.clock = clock;
        this.limits = limits;
    }

    public List<SmimeVerification> verifyAll(CMSSignedData data, boolean encapsulated, List<String> senders) {
        Collection<SignerInformation> signers;
        Collection<X509CertificateHolder> holders;
        try {
            signers = data.getSignerInfos().getSigners();
            holders = data.getCertificates().getMatches(null);
        } catch (RuntimeException e) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, describe(e)));
        }
        if (signers.size() > limits.maxSigners()) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.TOO_MANY_SIGNERS, signers.size() + " signers, more than " + limits.maxSigners()));
        }
        if (holders.size() > limits.maxCertificates()) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.TOO_MANY_CERTIFICATES, holders.size() + " certificates, more than " + limits.maxCertificates()));
        }
        if (encapsulated && !signers.isEmpty() && data.getSignedContent() == null) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, "no encapsulated content and none given"));
        }
        List<X509Certificate> carried = new ArrayList<>();
        for (X509CertificateHolder h : holders) {
            try {
                carried.add(Crypto.toX509(h));
            } catch (GeneralSecurityException | RuntimeException e) {
                // an unreadable extra certificate is ignored; if it is the signer's, that signer fails below
            }
        }
        List<SmimeVerification> out = new ArrayList<>();
        for (SignerInformation si : signers) out.add(verifyOne(si, holders, carried, senders));
        return out;
    }

    private SmimeVerification verifyOne(SignerInformation si, Collection<X509CertificateHolder> holders,
                                        List<X509Certificate> carried, List<String> senders) {
        X509Certificate cert = null;
        try {
            for (X509CertificateHolder h : holders) {
                if (si.getSID().match(h)) {
                    cert = Crypto.toX509(h);
                    break;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, "signer certificate: " + describe(e));
        }
        if (cert == null) {
            return new SmimeVerification.Fail(SmimeFailure.SIGNER_CERTIFICATE_MISSING, "no certificate for signer " + si.getSID().getIssuer()
                    + " #" + si.getSID().getSerialNumber());
        }
        if (WEAK.contains(si.getDigestAlgOID()) || WEAK.contains(si.getEncryptionAlgOID())) {
            return new SmimeVerification.Fail(SmimeFailure.WEAK_ALGORITHM, "digest " + si.getDigestAlgOID() + ", signature " + si.getEncryptionAlgOID());
        }
        PublicKey key = inheritDsaParameters(cert, carried);
        String lenientNote = "";
        try {
            boolean ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.BC).build(key));
            if (!ok) {
                if (!verifyReceivedSignedAttrs(si, key)) {
                    return new SmimeVerification.Fail(SmimeFailure.BAD_SIGNATURE, "signature does not verify with " + cert.getSubjectX500Principal());
                }
                lenientNote = " (signedAttrs verified in received order, not DER)";
            }
        } catch (CMSSignerDigestMismatchException e) {
            return new SmimeVerification.Fail(SmimeFailure.DIGEST_MISMATCH, "content digest does not match the messageDigest attribute");
        } catch (OperatorCreationException e) {
            return new SmimeVerification.Fail(SmimeFailure.UNSUPPORTED_ALGORITHM, describe(e));
        } catch (CMSException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof GeneralSecurityException
                    ? new SmimeVerification.Fail(SmimeFailure.UNSUPPORTED_ALGORITHM, describe(cause))
                    : new SmimeVerification.Fail(SmimeFailure.BAD_SIGNATURE, describe(e));
        } catch (RuntimeException e) {
            return new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, describe(e));
        }

        // The signature is good: now whether we trust who made it.
        List<X509Certificate> chain;
        try {
            chain = chain(cert, carried);
        } catch (CertPathBuilderException e) {
            return new SmimeVerification.Policy(cert, "untrusted signer: no valid path to a trust anchor (" + describe(e) + ")" + lenientNote);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                // A revoked key may be in someone else's hands: a broken signature, not only an untrusted one
                return new SmimeVerification.Fail(SmimeFailure.REVOKED, describe(e));
            }
            return new SmimeVerification.Policy(cert, "untrusted signer: " + describe(e) + lenientNote);
        } catch (GeneralSecurityException e) {
            return new SmimeVerification.Policy(cert, "untrusted signer: " + describe(e) + lenientNote);
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !(ku[0] || (ku.length > 1 && ku[1]))) {
            // RFC 8550 §4.4.2: digitalSignature or nonRepudiation for a signing certificate
            return new SmimeVerification.Policy(cert, "key usage does not allow signing" + lenientNote);
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EKU)) {
                // RFC 8550 §4.4.4: with an EKU extension, emailProtection (or anyExtendedKeyUsage) must be there
                return new SmimeVerification.Policy(cert, "extended key usage lacks emailProtection" + lenientNote);
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return new SmimeVerification.Policy(cert, "unreadable extended key usage" + lenientNote);
        }
        if (senders != null) {
            // RFC 8550 §3: the From or Sender address must be one the certificate names, if it names any
            List<String> names = Crypto.emailAddresses(cert);
            if (!names.isEmpty() && names.stream().noneMatch(senders::contains)) {
                return new SmimeVerification.Policy(cert, "certificate is for " + String.join(", ", names)
                        + ", not the sender " + (senders.isEmpty() ? "(no From)" : String.join(", ", senders)) + lenientNote);
            }
        }
        return new SmimeVerification.Pass(cert, chain);
    }

    /** Signer first, trust anchor last. */
    private List<X509Certificate> chain(X509Certificate cert, List<X509Certificate> carried) throws GeneralSecurityException {
        Date at = Date.from(clock.instant());
        if (anchorCerts.contains(cert)) { // a pinned signer certificate is its own anchor
            cert.checkValidity(at);
            return List.of(cert);
        }
        if (anchors.isEmpty()) throw new CertPathBuilderException("no trust anchors given");
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(cert);
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
        List<Object> store = new ArrayList<>(carried);
        store.add(cert);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
        params.setDate(at);
        params.setRevocationEnabled(false); // revocation is checked below, so that "revoked" keeps its reason
        PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
        if (!crls.isEmpty()) {
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXParameters v = new PKIXParameters(anchors);
            v.setDate(at);
            v.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            // only the CRLs given (sans-I/O): no OCSP, no CRL distribution point fetching; a certificate
            // whose issuer has no CRL here is not failed for it (SOFT_FAIL)
            PKIXRevocationChecker rc = (PKIXRevocationChecker) validator.getRevocationChecker();
            rc.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK,
                    PKIXRevocationChecker.Option.SOFT_FAIL));
            v.addCertPathChecker(rc);
            validator.validate(built.getCertPath(), v);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (var c : built.getCertPath().getCertificates()) chain.add((X509Certificate) c);
        chain.add(built.getTrustAnchor().getTrustedCert());
        return chain;
    }

    /**
     * RFC 3279 §2.3.2: a DSA key without parameters inherits its issuer's. The RFC 4134 example
     * "Diane" has such a key; Bouncy Castle cannot use it as it is ("DSA key has no domain parameters").
     */
    private PublicKey inheritDsaParameters(X509Certificate cert, List<X509Certificate> carried) {
        PublicKey key = cert.getPublicKey();
        if (!(key instanceof DSAPublicKey dsa) || dsa.getParams() != null) return key;
        List<X509Certificate> issuers = new ArrayList<>(carried);
        issuers.addAll(anchorCerts);
        for (X509Certificate issuer : issuers) {
            if (issuer.equals(cert) || !issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) continue;
            if (issuer.getPublicKey() instanceof DSAPublicKey ik && ik.getParams() != null) {
                try {
                    cert.verify(issuer.getPublicKey()); // only the real issuer's parameters
                    DSAParams p = ik.getParams();
                    return KeyFactory.getInstance("DSA").generatePublic(new DSAPublicKeySpec(dsa.getY(), p.getP(), p.getQ(), p.getG()));
                } catch (GeneralSecurityException e) {
                    // not this issuer
                }
            }
        }
        return key;
    }

    /**
     * RFC 5652 §5.4 says the signature covers the DER encoding of signedAttrs; some signers (the
     * RFC 4134 §4.10 example among them) sign a SET OF that is not in DER order, and Bouncy Castle
     * re-sorts it before hashing, so the signature looks broken. Leniency, as OpenSSL: hash the
     * attributes in the order received. Only reached after the content digest matched.
     */
    private static boolean verifyReceivedSignedAttrs(SignerInformation si, PublicKey key) {
        try {
            SignerInfo info = si.toASN1Structure();
            ASN1Set attrs = info.getAuthenticatedAttributes();
            if (attrs == null) return false;
            byte[] received = attrs.getEncoded(ASN1Encoding.DL);
            if (Arrays.equals(received, attrs.getEncoded(ASN1Encoding.DER))) return false; // nothing to be lenient about
            AlgorithmIdentifier digest = info.getDigestAlgorithm();
            AlgorithmIdentifier sig = info.getDigestEncryptionAlgorithm();
            String name = new DefaultCMSSignatureAlgorithmNameGenerator().getSignatureName(digest, sig);
            Signature s = Signature.getInstance(name, Crypto.BC);
            s.initVerify(key);
            s.update(received);
            return s.verify(info.getEncryptedDigest().getOctets());
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
