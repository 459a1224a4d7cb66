package dev.sealpost.secure.openpgp;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cryptlib.CryptlibObjectIdentifiers;
import org.bouncycastle.asn1.gnu.GNUObjectIdentifiers;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.ECPublicBCPGKey;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.bouncycastle.util.encoders.Hex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * OpenPGP keys and certificates: generate, read (armored or binary, v4 and v6), extract the
 * certificate, armor, fingerprints. Reading refuses what RFC 9580 forbids (v6 key material in the
 * legacy Curve25519 encodings, §9.2), which Bouncy Castle itself accepts.
 */
public final class OpenPgpKeys {
    private OpenPgpKeys() {}

    /** The largest key or certificate file read (a keyring of a few dozen certificates). */
    public static final int MAX_KEY_BYTES = 4 * 1024 * 1024;

    static final ASN1ObjectIdentifier ED25519_LEGACY = GNUObjectIdentifiers.Ed25519;
    static final ASN1ObjectIdentifier CURVE25519_LEGACY = CryptlibObjectIdentifiers.curvey25519;

    static OpenPGPApi api() {
        return new BcOpenPGPApi();
    }

    /** The User ID for a mail address, {@code <address>} (RFC 9580 §5.11: by convention an RFC 5322 name-addr). */
    public static String userIdFor(String address) {
        String a = address.strip();
        if (a.isEmpty() || a.indexOf('<') >= 0 || a.indexOf('>') >= 0 || a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("not a bare mail address: " + address);
        }
        return "<" + a + ">";
    }

    /**
     * Preferences for v4 keys (RFC 9580 §5.2.3.14-16, §5.2.3.32): SHA-2 only (GnuPG 2.2 meets BC's
     * default list, which starts with SHA3, by signing with SHA-1, which RFC 9580 §9.5 forbids for
     * data signatures), AES, no compression first, and the SEIPD v1 feature only.
     */
    private static final SignatureParameters.Callback V4_PREFERENCES = preferences(0);

    /** One RSA key that certifies, signs and encrypts (RFC 9580 §5.2.3.29 key flags on its direct-key signature). */
    private static final SignatureParameters.Callback RSA_SINGLETON = preferences(
            KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA | KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);

    private static SignatureParameters.Callback preferences(int keyFlags) {
        return new SignatureParameters.Callback() {
        @Override
        public SignatureParameters apply(SignatureParameters p) {
            return p.setHashedSubpacketsFunction(sp -> {
                if (keyFlags != 0) {
                    sp.removePacketsOfType(SignatureSubpacketTags.KEY_FLAGS);
                    sp.setKeyFlags(true, keyFlags);
                }
                sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_HASH_ALGS);
                sp.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
                sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_SYM_ALGS);
                sp.setPreferredSymmetricAlgorithms(false, new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
                sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_COMP_ALGS);
                sp.setPreferredCompressionAlgorithms(false, new int[] {CompressionAlgorithmTags.UNCOMPRESSED, CompressionAlgorithmTags.ZLIB, CompressionAlgorithmTags.ZIP});
                sp.removePacketsOfType(SignatureSubpacketTags.PREFERRED_AEAD_ALGORITHMS);
                sp.removePacketsOfType(SignatureSubpacketTags.FEATURES);
                sp.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
                return sp;
            });
        }
        };
    }

    /** Generates an unprotected secret key with the given User IDs (the first is primary). */
    public static OpenPGPKey generate(KeyProfile profile, List<String> userIds, Clock clock) throws PGPException {
        Date now = Date.from(clock.instant());
        OpenPGPApi api = api();
        var builder = switch (profile) {
            case V4_CURVE25519 -> api.generateKey(4, now)
                    .withPrimaryKey(g -> g.generateLegacyEd25519KeyPair(), V4_PREFERENCES)
                    .addSigningSubkey(g -> g.generateLegacyEd25519KeyPair())
                    .addEncryptionSubkey(g -> g.generateLegacyX25519KeyPair());
            case V4_RSA3072 -> api.generateKey(4, now).withPrimaryKey(g -> g.generateRsaKeyPair(3072), RSA_SINGLETON);
            case V6_CURVE25519 -> api.generateKey(6, now)
                    .withPrimaryKey(g -> g.generateEd25519KeyPair())
                    .addSigningSubkey(g -> g.generateEd25519KeyPair())
                    .addEncryptionSubkey(g -> g.generateX25519KeyPair());
        };
        for (String uid : userIds) {
            // GnuPG 2.2 reads preferences from the User ID self-signature only; without them it assumes SHA-1 and 3DES
            if (profile == KeyProfile.V6_CURVE25519) builder.addUserId(uid);
            else builder.addUserId(uid, V4_PREFERENCES);
        }
        return builder.build();
    }

    /** Reads one secret key (armored or binary). */
    public static OpenPGPKey readKey(byte[] data) throws OpenPgpException {
        List<OpenPGPKey> keys = readKeys(data);
        if (keys.size() != 1) throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, keys.size() + " secret keys, expected 1");
        return keys.getFirst();
    }

    /** Reads one or more secret keys (armored, possibly concatenated, or binary). */
    public static List<OpenPGPKey> readKeys(byte[] data) throws OpenPgpException {
        List<OpenPGPCertificate> all = readAny(data);
        List<OpenPGPKey> keys = new ArrayList<>();
        for (OpenPGPCertificate c : all) {
            if (!(c instanceof OpenPGPKey k)) {
                throw new OpenPgpException(OpenPgpException.Reason.KEY_CANNOT_SIGN, "a certificate (public key) where a secret key was needed: " + fingerprint(c));
            }
            keys.add(k);
        }
        return keys;
    }

    /** Reads one or more certificates; a secret key given here is reduced to its certificate. */
    public static List<OpenPGPCertificate> readCertificates(byte[] data) throws OpenPgpException {
        List<OpenPGPCertificate> out = new ArrayList<>();
        for (OpenPGPCertificate c : readAny(data)) out.add(c instanceof OpenPGPKey k ? k.toCertificate() : c);
        return out;
    }

    /** Reads one certificate. */
    public static OpenPGPCertificate readCertificate(byte[] data) throws OpenPgpException {
        List<OpenPGPCertificate> certs = readCertificates(data);
        if (certs.size() != 1) throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, certs.size() + " certificates, expected 1");
        return certs.getFirst();
    }

    private static List<OpenPGPCertificate> readAny(byte[] data) throws OpenPgpException {
        if (data.length > MAX_KEY_BYTES) throw new OpenPgpException(OpenPgpException.Reason.TOO_LARGE, data.length + " octets of key material");
        List<OpenPGPCertificate> all;
        try {
            all = api().readKeyOrCertificate().parseKeysOrCertificates(data);
        } catch (IOException | RuntimeException e) {
            throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, "not an OpenPGP key or certificate: " + e.getMessage(), e);
        }
        if (all.isEmpty()) throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, "no OpenPGP key or certificate found");
        for (OpenPGPCertificate c : all) checkAllowed(c);
        return all;
    }

    /**
     * RFC 9580 §9.2: EdDSALegacy and the Curve25519Legacy ECDH OID MUST NOT be used with v6 keys;
     * such key material is refused (Bouncy Castle would accept it). Keys of versions other than 4
     * and 6 (v3, v5) are refused too.
     */
    static void checkAllowed(OpenPGPCertificate cert) throws OpenPgpException {
        for (OpenPGPCertificate.OpenPGPComponentKey k : cert.getKeys()) {
            PGPPublicKey pk = k.getPGPPublicKey();
            int version = pk.getVersion();
            if (version != 4 && version != 6) {
                throw new OpenPgpException(OpenPgpException.Reason.UNSUPPORTED_KEY, "key version " + version + " (only 4 and 6)");
            }
            if (version == 6 && isLegacy25519(pk)) {
                throw new OpenPgpException(OpenPgpException.Reason.UNSUPPORTED_KEY,
                        "v6 key " + hex(pk.getFingerprint()) + " uses a legacy Curve25519 encoding (RFC 9580 §9.2 forbids it)");
            }
        }
    }

    private static boolean isLegacy25519(PGPPublicKey pk) {
        int alg = pk.getAlgorithm();
        if (alg == PublicKeyAlgorithmTags.EDDSA_LEGACY) return true;
        if (alg == PublicKeyAlgorithmTags.ECDH && pk.getPublicKeyPacket().getKey() instanceof ECPublicBCPGKey ec) {
            return CURVE25519_LEGACY.equals(ec.getCurveOID()) || ED25519_LEGACY.equals(ec.getCurveOID());
        }
        return false;
    }

    /** The primary key fingerprint, upper-case hex (20 octets for v4, 32 for v6; RFC 9580 §5.5.4). */
    public static String fingerprint(OpenPGPCertificate cert) {
        return hex(cert.getFingerprint());
    }

    static String hex(byte[] b) {
        return Hex.toHexString(b).toUpperCase(Locale.ROOT);
    }

    /** The key version of the primary key (4 or 6). */
    public static int version(OpenPGPCertificate cert) {
        return cert.getPrimaryKey().getVersion();
    }

    /** The certificate (public part) of a key, armored. */
    public static byte[] extractCertificate(OpenPGPKey key, boolean armor) throws IOException {
        OpenPGPCertificate cert = key.toCertificate();
        return armor ? armor(cert.getEncoded()) : cert.getEncoded();
    }

    /** A key or certificate in its binary or armored form. */
    public static byte[] encode(OpenPGPCertificate keyOrCert, boolean armor) throws IOException {
        byte[] raw = keyOrCert.getEncoded();
        return armor ? armor(raw) : raw;
    }

    /**
     * RFC 9580 §6.2 ASCII armor. The armor type (MESSAGE, SIGNATURE, PUBLIC KEY BLOCK, PRIVATE KEY
     * BLOCK) follows the first packet; no Version header (§6.2.2.1 advises against it). The CRC24
     * footer is emitted: RFC 9580 §6.1 allows it "if interoperability with implementations that
     * require the CRC24 footer to be present is a concern", and GnuPG 2.2 is one: without it, when
     * the data length is a multiple of 3 (no base64 padding), it reads the END line as data
     * ("invalid radix64 character 2D") and fails after decrypting (KeyDiscoveryEndToEndTest).
     */
    public static byte[] armor(byte[] binary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream aos = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out)) {
            aos.write(binary);
        }
        return out.toByteArray();
    }

    /** Whether data starts (after white space) with an armor header line. */
    public static boolean isArmored(byte[] data) {
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
        return new String(data, i, Math.min(15, data.length - i), StandardCharsets.US_ASCII).startsWith("-----BEGIN PGP");
    }

    /** Removes ASCII armor (RFC 9580 §6.2); binary input is returned as it is. A broken CRC or base64 fails. */
    public static byte[] dearmor(byte[] data) throws OpenPgpException {
        if (!isArmored(data)) return data;
        try (InputStream in = ArmoredInputStream.builder().setIgnoreCRC(false).build(new ByteArrayInputStream(data))) {
            byte[] out = in.readAllBytes();
            if (out.length == 0) throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, "empty armor");
            return out;
        } catch (IOException | RuntimeException e) {
            throw new OpenPgpException(OpenPgpException.Reason.BAD_DATA, "broken ASCII armor: " + e.getMessage(), e);
        }
    }
}
