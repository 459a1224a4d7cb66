package dev.sealpost.secure.openpgp;

import org.bouncycastle.openpgp.PGPSignatureException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureProcessor;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.bcpg.KeyIdentifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Verifies OpenPGP signatures: detached, inline (signed messages) and cleartext (RFC 9580 §7). Never throws on content. */
public final class OpenPgpVerifier {
    /** The largest document or message checked. */
    private final long maxBytes;

    public OpenPgpVerifier() {
        this(64L * 1024 * 1024);
    }

    public OpenPgpVerifier(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** An inline-signed or cleartext-signed message: its content and the signatures' outcomes. */
    public record Inline(byte[] content, List<OpenPgpVerification> verifications) {
        public Inline {
            verifications = List.copyOf(verifications);
        }

        public boolean anyGood() {
            return verifications.stream().anyMatch(v -> v instanceof OpenPgpVerification.Good);
        }
    }

    /** Checks a detached signature block (armored or binary, one or more signatures) over {@code data}. */
    public List<OpenPgpVerification> verifyDetached(List<OpenPGPCertificate> certs, byte[] signatures, byte[] data) {
        if (data.length > maxBytes) return List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, "data past " + maxBytes + " octets"));
        byte[] raw;
        try {
            raw = OpenPgpKeys.dearmor(signatures);
        } catch (OpenPgpException e) {
            return List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, e.getMessage()));
        }
        OpenPGPDetachedSignatureProcessor p = OpenPgpKeys.api().verifyDetachedSignature();
        List<String> errors = new ArrayList<>();
        p.setExceptionCallback(e -> errors.add(e.getMessage()));
        List<OpenPGPDocumentSignature> sigs;
        try {
            p.addSignatures(new ByteArrayInputStream(raw));
            for (OpenPGPCertificate c : certs) p.addVerificationCertificate(c);
            sigs = p.process(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            return List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, "unreadable signature: " + e.getMessage()));
        }
        if (sigs.isEmpty()) {
            List<OpenPgpVerification> unknown = unknownSigners(raw);
            if (!unknown.isEmpty()) return unknown;
            return List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED,
                    errors.isEmpty() ? "no signature found" : String.join("; ", errors)));
        }
        return sigs.stream().map(OpenPgpVerifier::outcome).toList();
    }

    /** Checks an inline-signed message (RFC 9580 §10.3) or a cleartext signed one (§7), armored or binary. */
    public Inline verifyInline(List<OpenPGPCertificate> certs, byte[] message) {
        if (Cleartext.isCleartext(message)) {
            Cleartext.Parsed parsed = Cleartext.parse(message);
            if (parsed == null) {
                return new Inline(new byte[0], List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, "malformed cleartext signed message")));
            }
            byte[] signed = Cleartext.signedOctets(parsed.lines());
            return new Inline(Cleartext.content(parsed.lines()), verifyDetached(certs, parsed.signatureBlock(), signed));
        }
        OpenPgpDecryption d = new OpenPgpDecryptor(maxBytes).decrypt(List.of(), certs, message);
        return switch (d) {
            case OpenPgpDecryption.Decrypted ok -> new Inline(ok.plaintext(), ok.verifications().isEmpty()
                    ? List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, "the message holds no signature"))
                    : ok.verifications());
            case OpenPgpDecryption.Failed f -> new Inline(new byte[0], List.of(new OpenPgpVerification.Bad("", OpenPgpVerification.Reason.MALFORMED, f.why() + ": " + f.detail())));
        };
    }

    /** The signatures in a block, each reported as from an unknown signer (none of them matched a given certificate). */
    private static List<OpenPgpVerification> unknownSigners(byte[] raw) {
        List<OpenPgpVerification> out = new ArrayList<>();
        try {
            Object o;
            var f = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(raw);
            while ((o = f.nextObject()) != null) {
                if (!(o instanceof org.bouncycastle.openpgp.PGPSignatureList list)) return List.of();
                for (org.bouncycastle.openpgp.PGPSignature s : list) {
                    String id = s.getKeyIdentifiers().isEmpty() ? "" : keyIdString(s.getKeyIdentifiers().getFirst());
                    out.add(new OpenPgpVerification.Bad(id, OpenPgpVerification.Reason.UNKNOWN_SIGNER, "no given certificate holds key " + id));
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    private static String keyIdString(KeyIdentifier id) {
        return id.getFingerprint() != null ? OpenPgpKeys.hex(id.getFingerprint()) : String.format("%016X", id.getKeyId());
    }

    /** One document signature after its data was read, as a value. */
    static OpenPgpVerification outcome(OpenPGPDocumentSignature s) {
        String issuer = issuer(s);
        if (s.getIssuer() == null || s.getIssuerCertificate() == null) {
            return new OpenPgpVerification.Bad(issuer, OpenPgpVerification.Reason.UNKNOWN_SIGNER, "no given certificate holds key " + issuer);
        }
        try {
            if (s.isValid()) {
                return new OpenPgpVerification.Good(OpenPgpKeys.hex(s.getIssuer().getPGPPublicKey().getFingerprint()),
                        OpenPgpKeys.fingerprint(s.getIssuerCertificate()),
                        s.getCreationTime() == null ? Instant.EPOCH : s.getCreationTime().toInstant(),
                        s.getSignature().getSignatureType() == 0x01);
            }
            if (!s.isTestedCorrect()) {
                return new OpenPgpVerification.Bad(issuer, OpenPgpVerification.Reason.BAD_SIGNATURE, "signature does not match the data");
            }
            return new OpenPgpVerification.Bad(issuer, OpenPgpVerification.Reason.KEY_INVALID, "signing key not valid at the signature's creation time");
        } catch (PGPSignatureException e) {
            return new OpenPgpVerification.Bad(issuer, OpenPgpVerification.Reason.KEY_INVALID, e.getMessage());
        } catch (RuntimeException e) {
            return new OpenPgpVerification.Bad(issuer, OpenPgpVerification.Reason.BAD_SIGNATURE, String.valueOf(e.getMessage()));
        }
    }

    private static String issuer(OpenPGPDocumentSignature s) {
        if (s.getIssuer() != null) return OpenPgpKeys.hex(s.getIssuer().getPGPPublicKey().getFingerprint());
        KeyIdentifier id = s.getKeyIdentifier();
        if (id == null) return "";
        return id.getFingerprint() != null ? OpenPgpKeys.hex(id.getFingerprint()) : String.format("%016X", id.getKeyId());
    }

}
