package dev.sealpost.auth.bimi;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test CAs, TLS server certificates and BIMI mark certificates (VMC-like), made with BouncyCastle. */
final class BimiTestCerts {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    record Issued(KeyPair keys, X509Certificate cert, List<X509Certificate> chain) {
        PrivateKey privateKey() {
            return keys.getPrivate();
        }

        SSLContext serverContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", keys.getPrivate(), "pw".toCharArray(), chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, "pw".toCharArray());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The chain as PEM, leaf first. */
        String pem() {
            StringBuilder b = new StringBuilder();
            for (X509Certificate c : chain) b.append(BimiTestCerts.pem(c));
            return b.toString();
        }
    }

    private BimiTestCerts() {}

    static Issued ca(String cn) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, new X500Name("CN=" + cn), kp.getPrivate(), b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        return new Issued(kp, c, List.of(c));
    }

    /** An intermediate CA. */
    static Issued intermediate(Issued issuer, String cn) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, issuerName(issuer), issuer.privateKey(), b -> {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        return chained(kp, c, issuer);
    }

    /** A TLS server certificate for the DNS names. */
    static Issued tlsServer(Issued issuer, String name) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(name, kp, issuerName(issuer), issuer.privateKey(), b -> {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        });
        return chained(kp, c, issuer);
    }

    /** What to put in a mark certificate. */
    record Mark(List<String> sans, byte[] svg, boolean gzip, boolean bimiEku, byte[] hashOverride, boolean withLogotype) {
        static Mark of(List<String> sans, byte[] svg) {
            return new Mark(sans, svg, true, true, null, true);
        }

        Mark withEku(boolean eku) {
            return new Mark(sans, svg, gzip, eku, hashOverride, withLogotype);
        }

        Mark withHash(byte[] h) {
            return new Mark(sans, svg, gzip, bimiEku, h, withLogotype);
        }

        Mark withoutLogotype() {
            return new Mark(sans, svg, gzip, bimiEku, hashOverride, false);
        }

        Mark plain() {
            return new Mark(sans, svg, false, bimiEku, hashOverride, withLogotype);
        }
    }

    /** A VMC-like mark certificate: BIMI EKU, SANs, RFC 3709 subject logotype in a data: URI. */
    static Issued mark(Issued issuer, Mark m) {
        KeyPair kp = ecKeys();
        X509Certificate c = build("Mark " + m.sans().getFirst(), kp, issuerName(issuer), issuer.privateKey(), b -> {
            GeneralName[] names = m.sans().stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            KeyPurposeId purpose = m.bimiEku() ? KeyPurposeId.getInstance(new ASN1ObjectIdentifier(MarkCertificate.BIMI_EKU))
                    : KeyPurposeId.id_kp_serverAuth;
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (m.withLogotype()) b.addExtension(new ASN1ObjectIdentifier(MarkCertificate.LOGOTYPE_OID), false, logotype(m));
        });
        return chained(kp, c, issuer);
    }

    /** RFC 3709 LogotypeExtn with one direct subject logotype. */
    static DERSequence logotype(Mark m) {
        byte[] data = m.gzip() ? gzip(m.svg()) : m.svg();
        String uri = "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(data);
        byte[] hash = m.hashOverride() != null ? m.hashOverride() : sha256(data);
        DERSequence hashAlgAndValue = new DERSequence(new ASN1Encodable[] {
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), new DEROctetString(hash)});
        DERSequence details = new DERSequence(new ASN1Encodable[] {
                new DERIA5String("image/svg+xml"), new DERSequence(hashAlgAndValue), new DERSequence(new DERIA5String(uri))});
        DERSequence logotypeImage = new DERSequence(details);
        DERSequence logotypeData = new DERSequence(new DERSequence(logotypeImage)); // image SEQUENCE OF LogotypeImage
        DERTaggedObject direct = new DERTaggedObject(false, 0, logotypeData);      // direct [0] (IMPLICIT)
        return new DERSequence(new DERTaggedObject(true, 2, direct));              // subjectLogo [2] EXPLICIT
    }

    static SSLContext clientTrusting(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued chained(KeyPair kp, X509Certificate c, Issued issuer) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(c);
        chain.addAll(issuer.chain());
        return new Issued(kp, c, List.copyOf(chain));
    }

    private static X500Name issuerName(Issued issuer) {
        return X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Extensions {
        void add(X509v3CertificateBuilder b) throws Exception;
    }

    private static X509Certificate build(String cn, KeyPair subject, X500Name issuer, PrivateKey issuerKey, Extensions ext) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(365))), new X500Name("CN=" + cn),
                    subject.getPublic());
            ext.add(b);
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
