package dev.sealpost.evidence.record;

import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.sign.Ed25519PublicKey;

import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 signature (RFC 8032) over a record's canonical bytes, with the signing key's C2SP key
 * hash so that a verifier picks the right key among current and past ones.
 *
 * @param keyName   the key's name
 * @param keyHash   8 hex digits, C2SP signed-note key hash of the key
 * @param signature base64 of the 64-byte signature
 */
public record RecordSignature(String keyName, String keyHash, String signature) {

    /** Signs the record's canonical bytes. */
    public static RecordSignature sign(Ed25519Key key, EvidenceRecord record) {
        return sign(key, record.canonicalBytes());
    }

    /** Signs canonical record bytes. */
    public static RecordSignature sign(Ed25519Key key, byte[] canonical) {
        return new RecordSignature(key.name(), HexFormat.of().formatHex(key.publicKey().keyHash()),
                Base64.getEncoder().encodeToString(key.sign(canonical)));
    }

    /** Whether this is {@code key}'s signature of {@code canonical} (and names that key). */
    public boolean verify(Ed25519PublicKey key, byte[] canonical) {
        if (!key.name().equals(keyName) || !HexFormat.of().formatHex(key.keyHash()).equals(keyHash)) return false;
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return key.verify(canonical, sig);
    }
}
