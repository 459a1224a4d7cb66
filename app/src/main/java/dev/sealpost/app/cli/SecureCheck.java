package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.inbound.secure.SecureKeys;
import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.OpenPgpVerification;
import dev.sealpost.secure.openpgp.PgpMime;
import dev.sealpost.secure.smime.SmimeDecryption;
import dev.sealpost.secure.smime.SmimeDecryptor;
import dev.sealpost.secure.smime.SmimeLimits;
import dev.sealpost.secure.smime.SmimeVerification;
import dev.sealpost.secure.smime.SmimeVerifier;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code sealpost check smime|openpgp}: the MX's verification (and decryption) of one message,
 * offline, with the trust anchors, certificates and keys given as files. The first line is the
 * result word (RFC 7281's vocabulary); exit 0 whatever the result, 2 for unusable input files.
 */
final class SecureCheck {
    private SecureCheck() {}

    static int smime(byte[] message, List<Path> anchors, Path keyFile, Path certFile, Path out, Clock clock) {
        List<X509Certificate> trust = new ArrayList<>();
        for (Path p : anchors) trust.addAll(certificates(p));
        byte[] m = message;
        String decrypted = null;
        if (keyFile != null) {
            if (certFile == null) throw new Main.UserError("--key needs --cert (the key's certificate)");
            List<X509Certificate> c = certificates(certFile);
            if (c.isEmpty()) throw new Main.UserError("--cert: no certificate in " + certFile);
            SmimeDecryption d = new SmimeDecryptor(privateKey(keyFile), c.getFirst(), SmimeLimits.defaults()).decrypt(m);
            switch (d) {
                case SmimeDecryption.Decrypted ok -> {
                    m = around(m, ok.content());
                    decrypted = ok.algorithm() + (ok.authenticated() ? "" : " (not authenticated)");
                }
                case SmimeDecryption.NotForUs n -> decrypted = "not encrypted to this key";
                case SmimeDecryption.Fail f -> decrypted = "failed: " + f.failure() + " " + f.detail();
            }
        }
        SmimeVerification v = new SmimeVerifier(trust, List.of(), clock, SmimeLimits.defaults()).verify(m);
        System.out.println(v.result());
        switch (v) {
            case SmimeVerification.Pass p -> System.out.println("signer: " + p.signer().getSubjectX500Principal().getName() + " " + p.addresses());
            case SmimeVerification.Policy p -> System.out.println("signer: " + p.signer().getSubjectX500Principal().getName() + " " + p.addresses()
                    + System.lineSeparator() + "reason: " + p.reason());
            case SmimeVerification.Fail f -> System.out.println("reason: " + f.failure() + ": " + f.detail());
            case SmimeVerification.None n -> System.out.println("no S/MIME signature");
        }
        if (decrypted != null) System.out.println("decrypted: " + decrypted);
        write(out, m, decrypted != null && m != message);
        return 0;
    }

    static int openpgp(byte[] message, List<Path> certFiles, Path keyFile, Path out, Clock clock) {
        List<OpenPGPCertificate> certs = new ArrayList<>();
        try {
            for (Path p : certFiles) certs.addAll(OpenPgpKeys.readCertificates(Files.readAllBytes(p)));
            List<OpenPGPKey> keys = keyFile == null ? List.of() : OpenPgpKeys.readKeys(Files.readAllBytes(keyFile));
            PgpMime.Opened o = new PgpMime(clock).open(message, keys, certs);
            List<OpenPgpVerification> vs = List.of();
            byte[] m = message;
            String decrypted = null;
            switch (o) {
                case PgpMime.Opened.NotPgpMime n -> { }
                case PgpMime.Opened.Malformed x -> {
                    System.out.println("permerror");
                    System.out.println("reason: " + x.reason());
                    return 0;
                }
                case PgpMime.Opened.Signed s -> vs = s.verifications();
                case PgpMime.Opened.Decrypted d -> {
                    vs = d.verifications();
                    m = around(message, d.entity());
                    decrypted = d.aead() ? "SEIPDv2 (AEAD)" : "SEIPDv1";
                }
                case PgpMime.Opened.DecryptionFailed f -> decrypted = "failed: " + f.failure().why() + " " + f.failure().detail();
            }
            String word = vs.isEmpty() ? "none" : vs.stream().anyMatch(v -> v instanceof OpenPgpVerification.Good) ? "pass"
                    : vs.stream().allMatch(v -> v instanceof OpenPgpVerification.Bad b && b.why() == OpenPgpVerification.Reason.UNKNOWN_SIGNER)
                    ? "neutral" : "fail";
            System.out.println(word);
            for (OpenPgpVerification v : vs) {
                switch (v) {
                    case OpenPgpVerification.Good g -> System.out.println("good signature by " + g.primaryFingerprint() + " made " + g.created());
                    case OpenPgpVerification.Bad b -> System.out.println("bad signature" + (b.issuer().isEmpty() ? "" : " by " + b.issuer())
                            + ": " + b.why() + " " + b.reason());
                }
            }
            if (vs.isEmpty() && decrypted == null) System.out.println("no PGP/MIME signature");
            if (decrypted != null) System.out.println("decrypted: " + decrypted);
            write(out, m, m != message);
            return 0;
        } catch (IOException | OpenPgpException e) {
            throw new Main.UserError("cannot read a key or certificate: " + e.getMessage());
        }
    }

    /** The outer header fields of {@code message} around a decrypted entity. */
    private static byte[] around(byte[] message, byte[] entity) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text : text.substring(0, end + 1);
        StringBuilder outer = new StringBuilder();
        boolean skip = false;
        for (String line : head.split("\n")) {
            if (line.isEmpty()) continue;
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (!skip) outer.append(line).append("\r\n");
                continue;
            }
            String l = line.toLowerCase(java.util.Locale.ROOT);
            skip = l.startsWith("content-") || l.startsWith("mime-version:");
            if (!skip) outer.append(line).append("\r\n");
        }
        outer.append("MIME-Version: 1.0\r\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(outer.toString().getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(entity);
        return b.toByteArray();
    }

    private static void write(Path out, byte[] m, boolean changed) {
        if (out == null) return;
        try {
            Files.write(out, m);
            System.out.println("written: " + out + (changed ? "" : " (unchanged)"));
        } catch (IOException e) {
            throw new Main.UserError("--out: cannot write " + out + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path p) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(p)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new Main.UserError("cannot read certificates from " + p + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path p) {
        try {
            String pem = Files.readString(p, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) throw new Main.UserError("--key: expected a PEM PKCS#8 key (BEGIN PRIVATE KEY) in " + p);
            String b64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
            return SecureKeys.pkcs8(Base64.getMimeDecoder().decode(b64));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new Main.UserError("--key: cannot read " + p + ": " + e.getMessage());
        }
    }
}
