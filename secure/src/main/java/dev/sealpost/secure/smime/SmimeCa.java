package dev.sealpost.secure.smime;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A local domain's internal S/MIME certification authority: a self-signed RSA-3072 root that
 * issues each account an RSA-3072 certificate for signing and encryption (RSA because every
 * S/MIME client encrypts to it; RFC 8551 §2.2 and RFC 8550 §4.4 key usage), signed with
 * SHA-256 with RSA. Values only: storing the keys (sealed) is the key store's job.
 *
 * @param certificate the CA certificate
 * @param privateKey  its private key
 */
public record SmimeCa(X509Certificate certificate, PrivateKey privateKey) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    /** How long the CA certificate lasts. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3652);
    /** How long an issued certificate lasts (two years, below the CA/B Forum S/MIME limit of 825 days). */
    public static final Duration CERT_VALIDITY = Duration.ofDays(730);

    /** An issued certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {}

    /** Creates the CA of {@code domain} (an A-label domain name). */
    public static SmimeCa create(String domain, Instant now) {
        try {
            KeyPair kp = rsa();
            var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, domain).addRDN(BCStyle.CN, domain + " Sealpost S/MIME CA").build();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            // RFC 5280 §4.2.1.9, §4.2.1.3: a CA that signs end-entity certificates only (path length 0)
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new SmimeCa(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** Issues a certificate for {@code address} (its domain in A-labels) with a new RSA-3072 key. */
    public Issued issue(String address, Instant now) {
        try {
            KeyPair kp = rsa();
            var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, address).build();
            Date notAfter = Date.from(now.plus(CERT_VALIDITY));
            if (notAfter.after(certificate.getNotAfter())) notAfter = certificate.getNotAfter();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    notAfter, subject, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // RFC 8550 §4.4.2: digitalSignature for signing, keyEncipherment for RSA key transport
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            // RFC 8550 §4.4.4: id-kp-emailProtection
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            // RFC 8550 §3: the address in subjectAltName rfc822Name (RFC 5280 §4.2.1.6)
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new Issued(sign(b, privateKey), kp.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate", e);
        }
    }

    /** An RSA private key from its PKCS#8 DER (how the key store keeps it). */
    public static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072, RANDOM);
        return g.generateKeyPair();
    }

    /** RFC 5280 §4.1.2.2: positive, at most 20 octets; 127 random bits. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
