package dev.sealpost.secure.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/** The shared S/MIME conformance material (../shared/conformance/smime) and a pinned clock. */
final class Fixtures {
    private Fixtures() {}

    /** 2026-12-01: inside every sample certificate's validity (RFC 4134 until 2039, RFC 9216 until 2052). */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    /**
     * {@code shared/conformance/smime}, found by walking up from the working directory (the main
     * clone has it beside the repository, a worktree further up). Missing is a failure, never a skip:
     * the suite's pass count is part of the build.
     */
    static Path smime() {
        Path rel = Path.of("shared", "conformance", "smime");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(rel))) return dir.resolve(rel);
        }
        throw new IllegalStateException("shared/conformance/smime not found above " + Path.of("").toAbsolutePath()
                + ": the S/MIME conformance suite is required");
    }

    static Path rfc4134(String name) {
        return smime().resolve("rfc4134").resolve(name);
    }

    static Path rfc9216(String name) {
        return smime().resolve("rfc9216").resolve(name);
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DER or PEM. */
    static X509Certificate cert(Path p) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(read(p)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(p.toString(), e);
        }
    }

    static X509CRL crl(Path p) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(read(p)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(p.toString(), e);
        }
    }

    /** PKCS#8, DER or PEM, of the given JCA algorithm. */
    static PrivateKey key(Path p, String algorithm) {
        byte[] data = read(p);
        String text = new String(data, StandardCharsets.ISO_8859_1);
        if (text.startsWith("-----BEGIN")) {
            String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            data = Base64.getDecoder().decode(b64);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(p.toString(), e);
        }
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PrivateKey k) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(k.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
