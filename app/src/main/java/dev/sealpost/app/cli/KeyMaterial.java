package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.store.Keys;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Key files as {@code keys import} reads them and {@code keys export} writes them: armored or
 * binary OpenPGP keys and certificates, PEM or DER X.509 certificates, PKCS#12 files. Each item
 * read is a {@link Item}: the public part as stored, the private part when the file has one, the
 * fingerprint, the addresses it names and its validity.
 */
final class KeyMaterial {
    private KeyMaterial() {}

    /**
     * One key or certificate read from a file.
     *
     * @param publicKey  binary OpenPGP certificate or X.509 DER
     * @param privateKey binary OpenPGP secret key or PKCS#8 DER; null for a public one
     * @param addresses  the mail addresses it names (User IDs, rfc822Name), lower-cased
     */
    record Item(Keys.Type type, String fingerprint, byte[] publicKey, byte[] privateKey, List<String> addresses,
                Instant validFrom, Instant validUntil) {}

    /** The SHA-256 of a certificate's DER, upper-case hex: how S/MIME certificates are named here. */
    static String smimeFingerprint(byte[] der) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isPgp(byte[] data) {
        if (OpenPgpKeys.isArmored(data)) return true;
        // RFC 9580 §4.2: a packet header has bit 7 set; tags 5 (secret key) and 6 (public key) start a key
        if (data.length == 0 || (data[0] & 0x80) == 0) return false;
        int tag = (data[0] & 0x40) != 0 ? data[0] & 0x3f : (data[0] >> 2) & 0x0f;
        return tag == 5 || tag == 6;
    }

    /** Reads a file's keys; {@code password} is asked for only when the file is PKCS#12. */
    static List<Item> read(byte[] data, java.util.function.Supplier<char[]> password) {
        if (isPgp(data)) return readPgp(data);
        String text = new String(data, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN CERTIFICATE-----")) return readX509(data);
        try {
            return readX509(data);
        } catch (Main.UserError notDer) {
            return readPkcs12(data, password.get());
        }
    }

    static List<Item> readPgp(byte[] data) {
        List<Item> out = new ArrayList<>();
        try {
            List<OpenPGPKey> keys;
            try {
                keys = OpenPgpKeys.readKeys(data);
            } catch (OpenPgpException e) {
                if (e.reason() != OpenPgpException.Reason.KEY_CANNOT_SIGN) throw e;
                keys = List.of();
            }
            if (!keys.isEmpty()) {
                for (OpenPGPKey k : keys) out.add(pgpItem(k, OpenPgpKeys.encode(k, false)));
            } else {
                for (OpenPGPCertificate c : OpenPgpKeys.readCertificates(data)) out.add(pgpItem(c, null));
            }
        } catch (OpenPgpException | IOException e) {
            throw new Main.UserError("not a usable OpenPGP key or certificate: " + e.getMessage());
        }
        return out;
    }

    static Item pgpItem(OpenPGPCertificate c, byte[] secret) throws IOException {
        OpenPGPCertificate cert = c instanceof OpenPGPKey k ? k.toCertificate() : c;
        List<String> addresses = new ArrayList<>();
        for (OpenPGPCertificate.OpenPGPUserId uid : cert.getAllUserIds()) {
            String a = addressOf(uid.getUserId());
            if (a != null && !addresses.contains(a)) addresses.add(a);
        }
        java.util.Date expires = cert.getExpirationTime();
        return new Item(Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(cert), cert.getEncoded(), secret, addresses,
                cert.getPrimaryKey().getCreationTime().toInstant(), expires == null ? null : expires.toInstant());
    }

    /** The address in a User ID: inside the last {@code <...>}, or the whole User ID when it is one (RFC 9580 §5.11). */
    static String addressOf(String userId) {
        String s = userId.strip();
        int open = s.lastIndexOf('<');
        int close = s.lastIndexOf('>');
        if (open >= 0 && close > open) s = s.substring(open + 1, close).strip();
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.chars().anyMatch(ch -> ch <= ' ')) return null;
        return s.toLowerCase(Locale.ROOT);
    }

    static List<Item> readX509(byte[] data) {
        try {
            List<Item> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data))) {
                out.add(x509Item((X509Certificate) c, null));
            }
            if (out.isEmpty()) throw new Main.UserError("no certificate in the file");
            return out;
        } catch (CertificateException e) {
            throw new Main.UserError("not a certificate (PEM or DER): " + e.getMessage());
        }
    }

    static Item x509Item(X509Certificate c, byte[] pkcs8) throws CertificateException {
        byte[] der = c.getEncoded();
        return new Item(Keys.Type.SMIME, smimeFingerprint(der), der, pkcs8, emailsOf(c),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }

    /** RFC 8550 §3: the rfc822Name entries of subjectAltName. */
    static List<String> emailsOf(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            for (List<?> san : c.getSubjectAlternativeNames() == null ? Collections.<List<?>>emptyList() : c.getSubjectAlternativeNames()) {
                if (san.get(0) instanceof Integer t && t == 1) out.add(san.get(1).toString().toLowerCase(Locale.ROOT));
            }
        } catch (CertificateException e) {
            // an unreadable SAN names no address
        }
        return out;
    }

    static List<Item> readPkcs12(byte[] data, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(data), password);
            List<Item> out = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) continue;
                Key k = ks.getKey(alias, password);
                if (!(k instanceof PrivateKey pk) || !(ks.getCertificate(alias) instanceof X509Certificate cert)) continue;
                out.add(x509Item(cert, pk.getEncoded()));
            }
            if (out.isEmpty()) throw new Main.UserError("the PKCS#12 file has no private key with a certificate");
            return out;
        } catch (IOException e) {
            throw new Main.UserError("not a PKCS#12 file, or the wrong password: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new Main.UserError("cannot read the PKCS#12 file: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** A certificate in PEM (RFC 7468 §5). */
    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
