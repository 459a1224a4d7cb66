package dev.sealpost.testkit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
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
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Test certificates made with BouncyCastle: self-signed leaves, CAs, CA-signed leaves. */
public final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    /** The pinned time of DANE-TA validity checks. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    /** Default validity: covers both {@link #NOW} and the real clock (real handshakes check the real time). */
    private static final Instant FROM = min(NOW, Instant.now()).minus(Duration.ofDays(1));
    private static final Instant UNTIL = max(NOW, Instant.now()).plus(Duration.ofDays(365));

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private TestCerts() {}

    /** A key pair and its certificate (with the issuer chain above it, leaf first). */
    public record Issued(KeyPair keys, X509Certificate cert, List<X509Certificate> chain) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }

        /** A server SSLContext presenting {@link #chain()}. */
        public SSLContext serverContext() {
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

        public String pem() {
            return TestCerts.pem(cert);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued selfSigned(String cn, List<String> dnsNames) {
        return selfSigned(cn, dnsNames, FROM, UNTIL);
    }

    public static Issued selfSigned(String cn, List<String> dnsNames, Instant notBefore, Instant notAfter) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, new X500Name("CN=" + cn), kp.getPrivate(), dnsNames, false, notBefore, notAfter);
        return new Issued(kp, c, List.of(c));
    }

    public static Issued ca(String cn) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, new X500Name("CN=" + cn), kp.getPrivate(), List.of(), true, FROM, UNTIL.plus(Duration.ofDays(3650)));
        return new Issued(kp, c, List.of(c));
    }

    /** An intermediate CA signed by {@code issuer}. */
    public static Issued leafCa(Issued issuer, String cn) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), issuer.privateKey(),
                List.of(), true, FROM, UNTIL);
        List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(c);
        chain.addAll(issuer.chain());
        return new Issued(kp, c, List.copyOf(chain));
    }

    /** A leaf signed by {@code issuer}; its chain is the leaf then the issuer's chain. */
    public static Issued leaf(Issued issuer, String cn, List<String> dnsNames) {
        return leaf(issuer, cn, dnsNames, FROM, UNTIL);
    }

    public static Issued leaf(Issued issuer, String cn, List<String> dnsNames, Instant notBefore, Instant notAfter) {
        KeyPair kp = ecKeys();
        X509Certificate c = build(cn, kp, X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), issuer.privateKey(), dnsNames,
                false, notBefore, notAfter);
        List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(c);
        chain.addAll(issuer.chain());
        return new Issued(kp, c, List.copyOf(chain));
    }

    private static X509Certificate build(String cn, KeyPair subject, X500Name issuer, PrivateKey issuerKey, List<String> dnsNames,
                                         boolean ca, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), subject.getPublic());
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> n.matches("[0-9.]+")
                        ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            else b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write("-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
            out.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(c.getEncoded()));
            out.write("\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
            return out.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
