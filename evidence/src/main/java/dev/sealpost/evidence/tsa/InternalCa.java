package dev.sealpost.evidence.tsa;

import dev.sealpost.core.io.Fsync;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A small internal CA for the time-stamping authority: a self-signed root and one TSA
 * certificate, ECDSA P-256 with SHA-256, kept as PEM files ({@code ca.pem}, {@code tsa.pem},
 * {@code tsa-key.pem}; the CA key {@code ca-key.pem}) in a directory.
 *
 * @param caCert  the root (publish it: verifiers pass it to {@code openssl ts -verify -CAfile})
 * @param tsaCert the TSA's certificate, issued by the root
 * @param tsaKey  the TSA's private key
 */
public record InternalCa(X509Certificate caCert, X509Certificate tsaCert, PrivateKey tsaKey) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates a new CA and TSA certificate named after {@code name} (e.g. the host), valid {@code validity} from {@code now}. */
    public static CreatedCa create(String name, Instant now, Duration validity) {
        try {
            KeyPair ca = newKey();
            KeyPair tsa = newKey();
            X500Name caName = new X500Name("CN=" + rdn(name) + " Sealpost evidence CA");
            X500Name tsaName = new X500Name("CN=" + rdn(name) + " Sealpost time-stamping authority");
            Date from = Date.from(now.minus(Duration.ofMinutes(5)));
            Date to = Date.from(now.plus(validity));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, ca.getPublic());
            // RFC 5280 §4.2.1.9 / §4.2.1.3: a CA certificate, signing certificates only.
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            cb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
            X509Certificate caCert = convert(cb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));

            JcaX509v3CertificateBuilder tb = new JcaX509v3CertificateBuilder(caCert, serial(), from, to, tsaName, tsa.getPublic());
            tb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            tb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            // RFC 3161 §2.3: the TSA certificate has exactly one extended key usage, id-kp-timeStamping, critical.
            tb.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            tb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(tsa.getPublic()));
            tb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate tsaCert = convert(tb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
            return new CreatedCa(new InternalCa(caCert, tsaCert, tsa.getPrivate()), ca.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("creating the internal CA failed", e);
        }
    }

    /** A new CA with its root key (kept only to write it out). */
    public record CreatedCa(InternalCa ca, PrivateKey caKey) {}

    /** Loads the CA from {@code dir}, creating it (and the directory) when absent. */
    public static InternalCa loadOrCreate(Path dir, String name, Instant now) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Path tsa = dir.resolve("tsa.pem");
        Path key = dir.resolve("tsa-key.pem");
        if (!Files.exists(tsa)) {
            Files.createDirectories(dir);
            CreatedCa c = create(name, now, Duration.ofDays(3650));
            writeSecret(dir.resolve("ca-key.pem"), pem(c.caKey()));
            writeSecret(key, pem(c.ca().tsaKey()));
            Fsync.writeDurably(ca, pem(c.ca().caCert()).getBytes(StandardCharsets.US_ASCII));
            Fsync.writeDurably(tsa, pem(c.ca().tsaCert()).getBytes(StandardCharsets.US_ASCII));
            return c.ca();
        }
        try {
            return new InternalCa(readCert(ca), readCert(tsa), readKey(key));
        } catch (GeneralSecurityException e) {
            throw new IOException("the time-stamping CA in " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** PEM text of a certificate or key (RFC 7468). */
    public static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            // Private keys as PKCS #8 "PRIVATE KEY" (RFC 7468 §10), which every reader takes back whole.
            if (o instanceof PrivateKey k) p.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded()));
            else p.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    static X509Certificate readCert(Path p) throws IOException, GeneralSecurityException {
        try (PEMParser r = new PEMParser(new StringReader(Files.readString(p, StandardCharsets.US_ASCII)))) {
            if (r.readObject() instanceof X509CertificateHolder h) return convert(h);
            throw new IOException(p + " holds no certificate");
        }
    }

    static PrivateKey readKey(Path p) throws IOException {
        try (PEMParser r = new PEMParser(new StringReader(Files.readString(p, StandardCharsets.US_ASCII)))) {
            Object o = r.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) return conv.getKeyPair(kp).getPrivate();
            if (o instanceof PrivateKeyInfo pki) return conv.getPrivateKey(pki);
            throw new IOException(p + " holds no private key");
        }
    }

    private static void writeSecret(Path p, String text) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Fsync.fsyncFile(tmp);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Fsync.fsyncDirectory(p.getParent());
    }

    private static KeyPair newKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate convert(X509CertificateHolder h) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(h);
    }

    private static String rdn(String s) {
        return s.replaceAll("[,+=\"\\\\<>;#]", "_");
    }
}
