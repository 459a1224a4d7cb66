package dev.sealpost.secure.smime;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;

import static dev.sealpost.secure.smime.Fixtures.CLOCK;
import static dev.sealpost.secure.smime.Fixtures.cert;
import static dev.sealpost.secure.smime.Fixtures.key;
import static dev.sealpost.secure.smime.Fixtures.rfc9216;

/** The RFC 9216 sample identities, plus a generated P-256 one (RFC 9216 has no ECDSA sample). */
final class Identities {
    private Identities() {}

    record Identity(PrivateKey key, X509Certificate cert) {}

    static final X509Certificate RSA_CA = cert(rfc9216("Sample_LAMPS_RSA_Certification_Authority.selfsigned.pem"));
    static final X509Certificate ED25519_CA = cert(rfc9216("Sample_LAMPS_Ed25519_Certification_Authority.selfsigned.pem"));
    static final List<X509Certificate> ANCHORS = List.of(RSA_CA, ED25519_CA);

    static final Identity ALICE_SIG = new Identity(key(rfc9216("lamps-alice.p8.pem"), "RSA"), cert(rfc9216("alice@smime.example.sig.pem")));
    static final Identity BOB_ENC = new Identity(key(rfc9216("lamps-bob.decrypt.p8.pem"), "RSA"), cert(rfc9216("bob@smime.example.enc.pem")));
    static final Identity CARLOS_SIG = new Identity(key(rfc9216("lamps-carlos.p8.pem"), "Ed25519"), cert(rfc9216("carlos@smime.example.sig.pem")));
    static final Identity DANA_ENC = new Identity(key(rfc9216("lamps-dana.decrypt.p8.pem"), "X25519"), cert(rfc9216("dana@smime.example.enc.pem")));
    /** Erin: a self-signed P-256 certificate for erin@smime.example, pinned as its own trust anchor where used. */
    static final Identity ERIN_EC = selfSignedEc("erin@smime.example");

    static Identity selfSignedEc(String address) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + address);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7),
                    Date.from(CLOCK.instant().minusSeconds(86400)), Date.from(CLOCK.instant().plusSeconds(86400 * 365)), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new Identity(kp.getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
