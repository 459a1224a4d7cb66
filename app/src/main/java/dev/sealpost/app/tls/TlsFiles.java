package dev.sealpost.app.tls;

import dev.sealpost.app.config.ConfigException;
import dev.sealpost.core.io.Fsync;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** PEM certificate/key loading into an {@link SSLContext}, and self-signed certificates for the demo and tests. */
public final class TlsFiles {
    private TlsFiles() {}

    /** Loads a PEM certificate chain and a PEM private key (PKCS#8, or PKCS#1/SEC1 key pair) into a server SSLContext. */
    public static SSLContext serverContext(Path certificatePem, Path privateKeyPem) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[] {keyManager(certificatePem, privateKeyPem)}, null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("key 'tls.certificate': unusable certificate or key: " + e.getMessage(), e);
        }
    }

    /**
     * A server SSLContext whose certificate and key can be replaced while it is in use (SIGHUP, a
     * renewed certificate): new handshakes get the new pair, connections in progress keep theirs.
     */
    public static Reloadable reloadableContext(Path certificatePem, Path privateKeyPem) {
        Reloadable r = new Reloadable(certificatePem, privateKeyPem, keyManager(certificatePem, privateKeyPem));
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[] {r}, null, new SecureRandom());
            r.context = ctx;
            return r;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("key 'tls.certificate': unusable certificate or key: " + e.getMessage(), e);
        }
    }

    /** RFC 8737 §6.2: the ALPN protocol id of the TLS-ALPN-01 challenge. */
    public static final String ACME_TLS_1 = "acme-tls/1";
    /** Key manager aliases of TLS-ALPN-01 challenge certificates: this prefix and the name. */
    private static final String CHALLENGE_ALIAS = "acme-tls/1:";

    /** The TLS-ALPN-01 challenge certificates being validated (RFC 8737 §3), by host name. */
    public interface AlpnChallenges {
        /** The self-signed challenge certificate and its key for {@code name} (A-label, lower case), or null. */
        KeyStore.PrivateKeyEntry forName(String name);
    }

    /** The key manager of a reloadable context: every call goes to the pair loaded last. */
    public static final class Reloadable extends javax.net.ssl.X509ExtendedKeyManager {
        private final Path certificatePem, privateKeyPem;
        private volatile javax.net.ssl.X509ExtendedKeyManager current;
        private volatile AlpnChallenges alpnChallenges;
        private SSLContext context;

        private Reloadable(Path certificatePem, Path privateKeyPem, javax.net.ssl.X509ExtendedKeyManager first) {
            this.certificatePem = certificatePem;
            this.privateKeyPem = privateKeyPem;
            this.current = first;
        }

        public SSLContext context() {
            return context;
        }

        /** Reads the files again; on any fault the pair in use stays and the {@link ConfigException} is thrown. */
        public void reload() {
            current = keyManager(certificatePem, privateKeyPem);
        }

        /** The leaf certificate handed out now. */
        public X509Certificate leaf() {
            return current.getCertificateChain("server")[0];
        }

        /**
         * Answers TLS-ALPN-01 validations (RFC 8737 §3) from {@code challenges}: a handshake that
         * negotiated "acme-tls/1" gets the challenge certificate of its SNI name, or none (the
         * handshake fails) when no challenge for that name is pending; null turns it off.
         */
        public void alpnChallenges(AlpnChallenges challenges) {
            this.alpnChallenges = challenges;
        }

        /**
         * RFC 8737 §3: the alias of the challenge certificate when the handshake negotiated
         * acme-tls/1, "" when it did not (the normal certificate), null when no challenge is pending
         * for the SNI name or its key does not fit {@code keyType} (no certificate: the handshake fails).
         */
        private String challengeAlias(String keyType, String applicationProtocol, javax.net.ssl.SSLSession handshake) {
            AlpnChallenges a = alpnChallenges;
            if (a == null || !ACME_TLS_1.equals(applicationProtocol)) return "";
            if (!(handshake instanceof javax.net.ssl.ExtendedSSLSession ex)) return null;
            for (javax.net.ssl.SNIServerName n : ex.getRequestedServerNames()) {
                if (!(n instanceof javax.net.ssl.SNIHostName h)) continue;
                String name = h.getAsciiName().toLowerCase(java.util.Locale.ROOT);
                KeyStore.PrivateKeyEntry e = a.forName(name);
                if (e != null && e.getPrivateKey().getAlgorithm().equalsIgnoreCase(keyType)) return CHALLENGE_ALIAS + name;
            }
            return null; // RFC 8737 §3: the SNI extension names the identifier; without one there is nothing to answer
        }

        private KeyStore.PrivateKeyEntry challenge(String alias) {
            AlpnChallenges a = alpnChallenges;
            return a == null ? null : a.forName(alias.substring(CHALLENGE_ALIAS.length()));
        }

        @Override public String[] getClientAliases(String t, java.security.Principal[] i) { return current.getClientAliases(t, i); }
        @Override public String chooseClientAlias(String[] t, java.security.Principal[] i, java.net.Socket s) { return current.chooseClientAlias(t, i, s); }
        @Override public String[] getServerAliases(String t, java.security.Principal[] i) { return current.getServerAliases(t, i); }
        @Override public String chooseServerAlias(String t, java.security.Principal[] i, java.net.Socket s) {
            if (s instanceof javax.net.ssl.SSLSocket ssl) {
                String c = challengeAlias(t, ssl.getHandshakeApplicationProtocol(), ssl.getHandshakeSession());
                if (c == null || !c.isEmpty()) return c;
            }
            return current.chooseServerAlias(t, i, s);
        }
        @Override public X509Certificate[] getCertificateChain(String alias) {
            if (alias != null && alias.startsWith(CHALLENGE_ALIAS)) {
                KeyStore.PrivateKeyEntry e = challenge(alias);
                return e == null ? null : new X509Certificate[] {(X509Certificate) e.getCertificate()};
            }
            return current.getCertificateChain(alias);
        }
        @Override public PrivateKey getPrivateKey(String alias) {
            if (alias != null && alias.startsWith(CHALLENGE_ALIAS)) {
                KeyStore.PrivateKeyEntry e = challenge(alias);
                return e == null ? null : e.getPrivateKey();
            }
            return current.getPrivateKey(alias);
        }
        @Override public String chooseEngineClientAlias(String[] t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) { return current.chooseEngineClientAlias(t, i, e); }
        @Override public String chooseEngineServerAlias(String t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) {
            if (e != null) {
                String c = challengeAlias(t, e.getHandshakeApplicationProtocol(), e.getHandshakeSession());
                if (c == null || !c.isEmpty()) return c;
            }
            return current.chooseEngineServerAlias(t, i, e);
        }
    }

    /** The key manager for one PEM certificate chain and key; a bad or missing file is a {@link ConfigException}. */
    static javax.net.ssl.X509ExtendedKeyManager keyManager(Path certificatePem, Path privateKeyPem) {
        try {
            List<Certificate> chain = new ArrayList<>();
            try (Reader r = Files.newBufferedReader(certificatePem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
                JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
                for (Object o; (o = p.readObject()) != null; ) {
                    if (o instanceof X509CertificateHolder h) chain.add(conv.getCertificate(h));
                }
            }
            if (chain.isEmpty()) throw new ConfigException("key 'tls.certificate': no PEM certificate found in " + certificatePem);
            PrivateKey key = null;
            try (Reader r = Files.newBufferedReader(privateKeyPem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
                JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
                for (Object o; (o = p.readObject()) != null && key == null; ) {
                    if (o instanceof PrivateKeyInfo pki) key = conv.getPrivateKey(pki);
                    else if (o instanceof PEMKeyPair kp) key = conv.getKeyPair(kp).getPrivate();
                }
            }
            if (key == null) throw new ConfigException("key 'tls.private_key': no unencrypted PEM private key found in " + privateKeyPem);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("server", key, pw, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            for (javax.net.ssl.KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof javax.net.ssl.X509ExtendedKeyManager x) return x;
            }
            throw new GeneralSecurityException("no X.509 key manager");
        } catch (IOException e) {
            throw new ConfigException("cannot read TLS files " + certificatePem + ", " + privateKeyPem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("key 'tls.certificate': unusable certificate or key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a self-signed RSA-2048 certificate (and its key, mode 0600) valid for one year, with
     * the given DNS and IP subjectAltNames. mbsync wants {@code DNS:127.0.0.1} as well as
     * {@code IP:127.0.0.1} (see PEERS.md), so callers pass both.
     */
    public static void writeSelfSigned(Path certificatePem, Path privateKeyPem, String commonName,
                                       List<String> dnsNames, List<String> ipAddresses) throws IOException {
        writeSelfSigned(certificatePem, privateKeyPem, commonName, dnsNames, ipAddresses, "Sealpost demo");
    }

    /** The same with the subject's organisation {@code organization} (the ACME placeholder is marked so). */
    public static void writeSelfSigned(Path certificatePem, Path privateKeyPem, String commonName,
                                       List<String> dnsNames, List<String> ipAddresses, String organization) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName + ",O=" + organization);
            var b = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, kp.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            Files.createDirectories(certificatePem.toAbsolutePath().getParent());
            Files.createDirectories(privateKeyPem.toAbsolutePath().getParent());
            Fsync.writeDurably(privateKeyPem, pem(kp.getPrivate()));
            try {
                Files.setPosixFilePermissions(privateKeyPem, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: nothing to restrict
            }
            Fsync.writeDurably(certificatePem, pem(cert));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return sw.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
