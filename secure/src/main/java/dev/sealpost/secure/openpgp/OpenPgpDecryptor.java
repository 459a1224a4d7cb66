package dev.sealpost.secure.openpgp;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.EncryptedDataPacketType;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageInputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageProcessor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decrypts OpenPGP messages (SEIPD v1 and v2, RFC 9580 §5.13) with secret keys, and verifies the
 * signatures inside against the given certificates. Also reads unencrypted signed messages. Never
 * throws on content. Keys refused by {@link OpenPgpKeys} (v6 with legacy OIDs) are never used.
 */
public final class OpenPgpDecryptor {
    private final long maxBytes;

    public OpenPgpDecryptor() {
        this(64L * 1024 * 1024);
    }

    public OpenPgpDecryptor(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public OpenPgpDecryption decrypt(List<OpenPGPKey> keys, List<OpenPGPCertificate> verifyWith, byte[] message) {
        return decrypt(keys, verifyWith, List.of(), message);
    }

    /** Decrypts with secret keys or, for SKESK packets (RFC 9580 §5.3), with passwords. */
    public OpenPgpDecryption decrypt(List<OpenPGPKey> keys, List<OpenPGPCertificate> verifyWith, List<char[]> passwords, byte[] message) {
        if (message.length > maxBytes) return new OpenPgpDecryption.Failed(OpenPgpDecryption.Reason.TOO_LARGE, message.length + " octets");
        OpenPGPMessageProcessor p = OpenPgpKeys.api().decryptAndOrVerifyMessage();
        List<String> errors = new ArrayList<>();
        p.setExceptionCallback(e -> errors.add(e.getMessage()));
        try {
            for (OpenPGPKey k : keys) {
                OpenPgpKeys.checkAllowed(k);
                p.addDecryptionKey(k);
            }
            for (OpenPGPCertificate c : verifyWith) {
                OpenPgpKeys.checkAllowed(c);
                p.addVerificationCertificate(c);
            }
        } catch (OpenPgpException e) {
            return new OpenPgpDecryption.Failed(OpenPgpDecryption.Reason.NO_DECRYPTION_KEY, e.getMessage());
        }
        for (char[] pw : passwords) p.addMessagePassphrase(pw);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        OpenPGPMessageInputStream in;
        try {
            in = p.process(new ByteArrayInputStream(message));
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (plain.size() + (long) n > maxBytes) {
                    return new OpenPgpDecryption.Failed(OpenPgpDecryption.Reason.TOO_LARGE, "plaintext past " + maxBytes + " octets");
                }
                plain.write(buf, 0, n);
            }
            in.close();
        } catch (IOException | PGPException | RuntimeException e) {
            return failure(e, errors);
        }
        OpenPGPMessageInputStream.Result r = in.getResult();
        boolean encrypted = r.getEncryptionMethod() != null && r.getEncryptionMethod().isEncrypted();
        if (!encrypted && !keys.isEmpty() && message.length > 0 && plain.size() == 0 && r.getSignatures().isEmpty()) {
            return new OpenPgpDecryption.Failed(OpenPgpDecryption.Reason.BAD_DATA, "no OpenPGP message");
        }
        boolean aead = encrypted && r.getEncryptionMethod().getMode() == EncryptedDataPacketType.SEIPDv2;
        String keyFp = r.getDecryptionKey() == null ? "" : OpenPgpKeys.hex(r.getDecryptionKey().getPGPPublicKey().getFingerprint());
        List<OpenPgpVerification> verifications = r.getSignatures().stream().map(OpenPgpVerifier::outcome).toList();
        return new OpenPgpDecryption.Decrypted(plain.toByteArray(), verifications, encrypted, aead, keyFp);
    }

    private static OpenPgpDecryption.Failed failure(Exception e, List<String> errors) {
        String msg = String.valueOf(e.getMessage());
        String lower = (msg + " " + String.join(" ", errors)).toLowerCase(Locale.ROOT);
        OpenPgpDecryption.Reason why;
        if (lower.contains("no working decryption method") || lower.contains("no suitable") || lower.contains("decryption key") || lower.contains("could not decrypt")
                || lower.contains("no decryption") || lower.contains("missing") && lower.contains("key")) {
            why = OpenPgpDecryption.Reason.NO_DECRYPTION_KEY;
        } else if (lower.contains("integrity") || lower.contains("mdc") || lower.contains("tag") || lower.contains("mac check")
                || lower.contains("checksum")) {
            why = OpenPgpDecryption.Reason.INTEGRITY;
        } else {
            why = OpenPgpDecryption.Reason.BAD_DATA;
        }
        return new OpenPgpDecryption.Failed(why, msg + (errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")"));
    }
}
