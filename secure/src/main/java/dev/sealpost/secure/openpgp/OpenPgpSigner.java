package dev.sealpost.secure.openpgp;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.OpenPGPMessageOutputStream;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.api.SignatureParameters;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/** Makes OpenPGP signatures: detached, inline (signed message) and cleartext (RFC 9580 §7). */
public final class OpenPgpSigner {
    /** How the data is signed (RFC 9580 §5.2.1 signature types). */
    public enum Mode {
        /** Type 0x00, the octets as they are. */
        BINARY,
        /** Type 0x01, canonical text: line ends taken as CRLF. */
        TEXT
    }

    private final Clock clock;

    public OpenPgpSigner(Clock clock) {
        this.clock = clock;
    }

    private SignatureParameters.Callback params(Mode mode) {
        return params(mode, Date.from(clock.instant()));
    }

    /** Signature type and creation time for a document signature. */
    static SignatureParameters.Callback params(Mode mode, Date now) {
        return new SignatureParameters.Callback() {
            @Override
            public SignatureParameters apply(SignatureParameters p) {
                // SHA-512 (RFC 9580 §9.5): BC's policy would pick SHA3-512, which GnuPG 2.2 and Sequoia 1.x cannot verify
                return p.setSignatureType(mode == Mode.TEXT ? PGPSignature.CANONICAL_TEXT_DOCUMENT : PGPSignature.BINARY_DOCUMENT)
                        .setSignatureCreationTime(now).setSignatureHashAlgorithm(HashAlgorithmTags.SHA512);
            }
        };
    }

    /** The detached signatures (one per key; each key signs with its signing-capable subkeys), binary. */
    public List<PGPSignature> signDetachedSignatures(List<OpenPGPKey> keys, byte[] data, Mode mode) throws OpenPgpException {
        if (keys.isEmpty()) throw new IllegalArgumentException("no signing key");
        var gen = OpenPgpKeys.api().createDetachedSignature();
        try {
            for (OpenPGPKey k : keys) gen.addSigningKey(k, params(mode));
            return gen.sign(new ByteArrayInputStream(data)).stream().map(OpenPGPDocumentSignature::getSignature).toList();
        } catch (org.bouncycastle.openpgp.api.exception.InvalidSigningKeyException e) {
            throw new OpenPgpException(OpenPgpException.Reason.KEY_CANNOT_SIGN, "key cannot sign: " + e.getMessage(), e);
        } catch (PGPException | IOException | RuntimeException e) {
            throw new OpenPgpException(OpenPgpException.Reason.KEY_CANNOT_SIGN, "signing failed: " + e.getMessage(), e);
        }
    }

    /** A detached signature block over {@code data}, armored on request. */
    public byte[] signDetached(List<OpenPGPKey> keys, byte[] data, Mode mode, boolean armor) throws OpenPgpException {
        return encode(signDetachedSignatures(keys, data, mode), armor);
    }

    static byte[] encode(List<PGPSignature> sigs, boolean armor) throws OpenPgpException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (PGPSignature s : sigs) out.writeBytes(s.getEncoded());
            return armor ? OpenPgpKeys.armor(out.toByteArray()) : out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed OpenPGP message (one-pass signatures, literal data, signatures; RFC 9580 §10.3). */
    public byte[] signInline(List<OpenPGPKey> keys, byte[] data, Mode mode, boolean armor) throws OpenPgpException {
        if (keys.isEmpty()) throw new IllegalArgumentException("no signing key");
        OpenPGPMessageGenerator gen = OpenPgpKeys.api().signAndOrEncryptMessage().setArmored(false);
        gen.setAllowPadding(false);
        try {
            for (OpenPGPKey k : keys) gen.addSigningKey(k, params(mode));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OpenPGPMessageOutputStream os = gen.open(out)) {
                os.write(data);
            }
            // armored with the CRC24 footer GnuPG 2.2 needs (OpenPgpKeys.armor, RFC 9580 §6.1)
            return armor ? OpenPgpKeys.armor(out.toByteArray()) : out.toByteArray();
        } catch (PGPException | IOException | RuntimeException e) {
            throw new OpenPgpException(OpenPgpException.Reason.KEY_CANNOT_SIGN, "signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * A cleartext signed message (RFC 9580 §7). The text is taken as UTF-8 lines; the signed octets
     * are the lines without trailing spaces and tabs, joined by CRLF (§7.2); a text ending in a line
     * end is followed by an empty line before the armor; lines starting with '-' are dash-escaped (§7.2). v4 signatures get a "Hash:" armor
     * header (§7.1, for older readers); v6 signatures none.
     */
    public byte[] signCleartext(List<OpenPGPKey> keys, byte[] text) throws OpenPgpException {
        List<String> lines = Cleartext.lines(text);
        byte[] signed = Cleartext.signedOctets(lines);
        List<PGPSignature> sigs = signDetachedSignatures(keys, signed, Mode.TEXT);
        StringBuilder sb = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\n");
        java.util.LinkedHashSet<String> hashes = new java.util.LinkedHashSet<>();
        for (PGPSignature s : sigs) if (s.getVersion() < 6) hashes.add(hashName(s.getHashAlgorithm()));
        if (!hashes.isEmpty()) sb.append("Hash: ").append(String.join(",", hashes)).append('\n');
        sb.append('\n');
        // RFC 9580 §7.1: the line end before the signature armor is not part of the signed text, so one is always added
        for (String line : lines) sb.append(line.startsWith("-") ? "- " : "").append(line).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(encode(sigs, true));
        return out.toByteArray();
    }

    /** The RFC 9580 §9.5 / armor "Hash:" name of a hash algorithm. */
    static String hashName(int alg) {
        return switch (alg) {
            case HashAlgorithmTags.SHA1 -> "SHA1";
            case HashAlgorithmTags.SHA224 -> "SHA224";
            case HashAlgorithmTags.SHA256 -> "SHA256";
            case HashAlgorithmTags.SHA384 -> "SHA384";
            case HashAlgorithmTags.SHA512 -> "SHA512";
            case HashAlgorithmTags.SHA3_256 -> "SHA3-256";
            case HashAlgorithmTags.SHA3_512 -> "SHA3-512";
            default -> "UNKNOWN" + alg;
        };
    }
}
