package dev.sealpost.secure.openpgp;

import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPEncryptionNegotiator;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.OpenPGPMessageOutputStream;
import org.bouncycastle.openpgp.api.exception.InvalidEncryptionKeyException;
import org.bouncycastle.openpgp.api.exception.InvalidSigningKeyException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * Encrypts to one or more certificates, optionally signing inside (RFC 9580 §10.3: one-pass
 * signatures and literal data inside the encrypted data). AES-256 always; SEIPD v2 with OCB
 * (RFC 9580 §5.13.2) when every recipient is a v6 certificate, SEIPD v1 (§5.13.1) otherwise, so
 * that v4-only readers (GnuPG 2.2, Sequoia 1.x) can open it.
 */
public final class OpenPgpEncryptor {
    private final Clock clock;

    public OpenPgpEncryptor(Clock clock) {
        this.clock = clock;
    }

    /** Whether a message to these recipients uses SEIPD v2 (AEAD). */
    public static boolean usesAead(List<OpenPGPCertificate> recipients) {
        return !recipients.isEmpty() && recipients.stream().allMatch(c -> OpenPgpKeys.version(c) == 6);
    }

    public byte[] encrypt(List<OpenPGPCertificate> recipients, List<OpenPGPKey> signers, byte[] data, OpenPgpSigner.Mode mode,
                          boolean armor) throws OpenPgpException {
        return encrypt(recipients, List.of(), signers, data, mode, armor);
    }

    /**
     * Encrypts to certificates and/or passwords (SKESK, RFC 9580 §5.3; with passwords the message is
     * SEIPD v1 and the S2K is iterated and salted, so that v4-era readers open it).
     */
    public byte[] encrypt(List<OpenPGPCertificate> recipients, List<char[]> passwords, List<OpenPGPKey> signers, byte[] data,
                          OpenPgpSigner.Mode mode, boolean armor) throws OpenPgpException {
        if (recipients.isEmpty() && passwords.isEmpty()) throw new IllegalArgumentException("no recipient");
        boolean aead = passwords.isEmpty() && usesAead(recipients);
        MessageEncryptionMechanism mechanism = aead
                ? MessageEncryptionMechanism.aead(SymmetricKeyAlgorithmTags.AES_256, AEADAlgorithmTags.OCB)
                : MessageEncryptionMechanism.integrityProtected(SymmetricKeyAlgorithmTags.AES_256);
        OpenPGPMessageGenerator gen = OpenPgpKeys.api().signAndOrEncryptMessage().setArmored(false);
        gen.setAllowPadding(aead); // the padding packet (RFC 9580 §5.14) is unknown to v4-era readers
        OpenPGPEncryptionNegotiator fixed = new OpenPGPEncryptionNegotiator() {
            @Override
            public MessageEncryptionMechanism negotiateEncryption(OpenPGPMessageGenerator g) {
                return mechanism;
            }
        };
        gen.setPublicKeyBasedEncryptionNegotiator(fixed);
        gen.setPasswordBasedEncryptionNegotiator(fixed);
        for (char[] pw : passwords) gen.addEncryptionPassphrase(pw);
        Date now = Date.from(clock.instant());
        try {
            for (OpenPGPCertificate c : recipients) {
                OpenPgpKeys.checkAllowed(c);
                gen.addEncryptionCertificate(c);
            }
            for (OpenPGPKey k : signers) {
                gen.addSigningKey(k, OpenPgpSigner.params(mode, now));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OpenPGPMessageOutputStream os = gen.open(out)) {
                os.write(data);
            }
            // armored by OpenPgpKeys.armor, which writes the CRC24 footer GnuPG 2.2 needs (RFC 9580 §6.1)
            return armor ? OpenPgpKeys.armor(out.toByteArray()) : out.toByteArray();
        } catch (InvalidEncryptionKeyException e) {
            throw new OpenPgpException(OpenPgpException.Reason.CERT_CANNOT_ENCRYPT, "certificate cannot encrypt: " + e.getMessage(), e);
        } catch (InvalidSigningKeyException e) {
            throw new OpenPgpException(OpenPgpException.Reason.KEY_CANNOT_SIGN, "key cannot sign: " + e.getMessage(), e);
        } catch (PGPException | IOException | RuntimeException e) {
            throw new OpenPgpException(OpenPgpException.Reason.CERT_CANNOT_ENCRYPT, "encryption failed: " + e.getMessage(), e);
        }
    }
}
