package dev.sealpost.auth.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.AuthMessage.HeaderField;
import dev.sealpost.auth.TagList;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The data DKIM signs and verifies (RFC 6376 §3.7), and the signature primitives; public so
 * that ARC (RFC 8617, whose ARC-Message-Signature is hashed the same way) can reuse it.
 */
public final class DkimHasher {
    private DkimHasher() {}

    /**
     * Selects the header fields named in {@code h=} (RFC 6376 §5.4.2): for each name in order,
     * the last not yet used instance, from the bottom up; a name with no instance left
     * contributes nothing (the "null string", §5.4). Malformed fields are never selected.
     */
    public static List<HeaderField> select(List<HeaderField> headers, List<String> names) {
        boolean[] used = new boolean[headers.size()];
        List<HeaderField> out = new ArrayList<>(names.size());
        for (String name : names) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                if (!used[i] && headers.get(i).is(name)) {
                    used[i] = true;
                    out.add(headers.get(i));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The raw field (ISO-8859-1 text) with the value of tag {@code tag} removed together with
     * the white space around it (RFC 6376 §3.7 for {@code b=}), or null when the field value is
     * not a tag list or has no such tag.
     */
    public static String blankTag(String rawField, String tag) {
        int colon = rawField.indexOf(':');
        if (colon < 0) return null;
        String value = rawField.substring(colon + 1);
        String trailer = "";
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
            trailer = "\r\n";
        }
        if (!(TagList.parse(value) instanceof TagList.Parsed(TagList tags))) return null;
        TagList.Tag t = tags.tag(tag).orElse(null);
        if (t == null) return null;
        return rawField.substring(0, colon + 1) + value.substring(0, t.rawStart()) + value.substring(t.rawEnd()) + trailer;
    }

    /**
     * The header hash input (RFC 6376 §3.7): each selected field canonicalised with its CRLF,
     * then the signature field itself (its {@code b=} value already blanked) canonicalised,
     * without the final CRLF.
     */
    public static byte[] headerData(List<HeaderField> headers, List<String> signedNames, Canonicalization canon,
                                    String blankedSignatureField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (HeaderField f : select(headers, signedNames)) out.writeBytes(canon.headerBytes(f.rawLatin1()));
        String sig = canon.header(blankedSignatureField);
        sig = sig.substring(0, sig.length() - 2);
        out.writeBytes(sig.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Convenience: {@link #headerData(List, List, Canonicalization, String)} over a message's fields. */
    public static byte[] headerData(AuthMessage msg, List<String> signedNames, Canonicalization canon,
                                    String blankedSignatureField) {
        return headerData(msg.headers(), signedNames, canon, blankedSignatureField);
    }

    /** Verifies {@code signature} over {@code data}: RSASSA-PKCS1-v1_5, or Ed25519 over SHA-256(data) (RFC 8463 §3). */
    public static boolean verify(DkimAlgorithm alg, PublicKey key, byte[] data, byte[] signature) {
        try {
            return DkimCrypto.verify(alg, key, alg == DkimAlgorithm.ED25519_SHA256 ? sha256(data) : data, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature or an unusable key is a failed verification
        }
    }

    /** Signs {@code data} as {@link #verify} expects. */
    public static byte[] sign(DkimAlgorithm alg, PrivateKey key, byte[] data) {
        try {
            return DkimCrypto.sign(alg, key, alg == DkimAlgorithm.ED25519_SHA256 ? sha256(data) : data);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] data) {
        return Canonicalization.digest("sha256").digest(data);
    }

    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
