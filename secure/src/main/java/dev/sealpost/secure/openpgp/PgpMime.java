package dev.sealpost.secure.openpgp;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import dev.sealpost.secure.smime.internal.MimeText;
import dev.sealpost.secure.smime.internal.MimeText.Field;
import dev.sealpost.secure.smime.internal.MimeText.Split;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * PGP/MIME (RFC 3156): builds {@code multipart/signed} and {@code multipart/encrypted} messages
 * from a whole message, and verifies or decrypts them back. The content-describing header fields
 * (Content-*) move into the protected entity; the others stay outside (RFC 2045 §9).
 */
public final class PgpMime {
    private final Clock clock;
    private final SecureRandom random;
    private final long maxBytes;

    public PgpMime(Clock clock) {
        this(clock, new SecureRandom(), 64L * 1024 * 1024);
    }

    public PgpMime(Clock clock, SecureRandom random, long maxBytes) {
        this.clock = clock;
        this.random = random;
        this.maxBytes = maxBytes;
    }

    /** What opening a message found. */
    public sealed interface Opened {
        /** Neither PGP/MIME signed nor encrypted. */
        record NotPgpMime() implements Opened {}

        /** Claims to be PGP/MIME but its structure is broken (RFC 3156 §4, §5). */
        record Malformed(String reason) implements Opened {}

        /** A multipart/signed: the signed entity (its exact octets) and the signatures' outcomes. */
        record Signed(byte[] entity, List<OpenPgpVerification> verifications) implements Opened {
            public Signed {
                verifications = List.copyOf(verifications);
            }
        }

        /**
         * A multipart/encrypted that decrypted: the entity inside, the signatures inside the OpenPGP
         * message (RFC 3156 §6.2) and those of a multipart/signed inside it (§6.1).
         */
        record Decrypted(byte[] entity, List<OpenPgpVerification> verifications, boolean aead) implements Opened {
            public Decrypted {
                verifications = List.copyOf(verifications);
            }
        }

        /** A multipart/encrypted that did not decrypt. */
        record DecryptionFailed(OpenPgpDecryption.Failed failure) implements Opened {}
    }

    /** The entity to protect and the header fields that stay outside. */
    private record Entity(byte[] outerFields, byte[] entity) {}

    private static Entity entity(byte[] message) {
        Split split = MimeText.split(MimeText.canonicalize(message));
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        boolean hasContentType = false;
        boolean composite = false;
        for (Field f : split.fields()) {
            if (f.is("Content-Type") && !hasContentType) {
                hasContentType = true;
                String v = new String(f.raw(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                composite = v.contains("multipart/") || v.contains("message/");
            }
        }
        byte[] body = split.body();
        // RFC 3156 §3: data signed must be 7-bit; an 8-bit leaf is sent as base64 so no MTA re-encodes it
        boolean reencode = !composite && MimeText.needs7bitEncoding(body);
        for (Field f : split.fields()) {
            if (f.is("MIME-Version")) continue;
            if (!f.isContentField()) outer.writeBytes(f.raw());
            else if (!(reencode && f.is("Content-Transfer-Encoding"))) inner.writeBytes(f.raw());
        }
        if (!hasContentType) inner.writeBytes(MimeText.ascii("Content-Type: text/plain; charset=us-ascii\r\n"));
        if (reencode) {
            inner.writeBytes(MimeText.ascii("Content-Transfer-Encoding: base64\r\n"));
            body = MimeText.base64Lines(body);
        }
        return new Entity(outer.toByteArray(), MimeText.concat(inner.toByteArray(), MimeText.ascii("\r\n"), body));
    }

    /** RFC 3156 §5 micalg: "pgp-" and the hash name in lower case. */
    public static String micalgOf(int hashAlgorithm) {
        return micalg(hashAlgorithm);
    }

    static String micalg(int hashAlgorithm) {
        return switch (hashAlgorithm) {
            case HashAlgorithmTags.SHA1 -> "pgp-sha1";
            case HashAlgorithmTags.SHA224 -> "pgp-sha224";
            case HashAlgorithmTags.SHA256 -> "pgp-sha256";
            case HashAlgorithmTags.SHA384 -> "pgp-sha384";
            case HashAlgorithmTags.SHA512 -> "pgp-sha512";
            case HashAlgorithmTags.SHA3_256 -> "pgp-sha3-256";
            case HashAlgorithmTags.SHA3_512 -> "pgp-sha3-512";
            default -> throw new IllegalStateException("hash algorithm " + hashAlgorithm);
        };
    }

    /** A {@code multipart/signed} message (RFC 3156 §5) signed by {@code keys}. */
    public byte[] sign(byte[] message, List<OpenPGPKey> keys) throws OpenPgpException {
        Entity e = entity(message);
        // RFC 3156 §5: the signature covers the first part's MIME entity in canonical (CRLF) form, headers included
        List<PGPSignature> sigs = new OpenPgpSigner(clock).signDetachedSignatures(keys, e.entity(), OpenPgpSigner.Mode.BINARY);
        byte[] armored = OpenPgpSigner.encode(sigs, true);
        String boundary = MimeText.boundary(random, e.entity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(e.outerFields());
        out.writeBytes(MimeText.ascii("MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; micalg=" + micalg(sigs.getFirst().getHashAlgorithm()) + ";\r\n"
                + "\tprotocol=\"application/pgp-signature\"; boundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "This is an OpenPGP/MIME signed message (RFC 3156).\r\n"
                + "\r\n--" + boundary + "\r\n"));
        out.writeBytes(e.entity());
        // RFC 2046 §5.1.1: the CRLF before the delimiter belongs to the delimiter, not to the signed part
        out.writeBytes(MimeText.ascii("\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
                + "Content-Description: OpenPGP digital signature\r\n"
                + "Content-Disposition: attachment; filename=\"signature.asc\"\r\n"
                + "\r\n"));
        out.writeBytes(MimeText.canonicalize(armored));
        out.writeBytes(MimeText.ascii("\r\n--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    /**
     * A {@code multipart/encrypted} message (RFC 3156 §4) to {@code recipients}; with signers, the
     * entity is signed inside the OpenPGP message (RFC 3156 §6.2).
     */
    public byte[] encrypt(byte[] message, List<OpenPGPCertificate> recipients, List<OpenPGPKey> signers) throws OpenPgpException {
        Entity e = entity(message);
        byte[] armored = new OpenPgpEncryptor(clock).encrypt(recipients, signers, e.entity(), OpenPgpSigner.Mode.BINARY, true);
        String boundary = MimeText.boundary(random, armored);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(e.outerFields());
        out.writeBytes(MimeText.ascii("MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
                + "\tboundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n"
                + "\r\n--" + boundary + "\r\n"
                // RFC 3156 §4: the first part is application/pgp-encrypted with "Version: 1"
                + "Content-Type: application/pgp-encrypted\r\n"
                + "Content-Description: PGP/MIME version identification\r\n"
                + "\r\n"
                + "Version: 1\r\n"
                + "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
                + "Content-Description: OpenPGP encrypted message\r\n"
                + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n"
                + "\r\n"));
        out.writeBytes(MimeText.canonicalize(armored));
        out.writeBytes(MimeText.ascii("\r\n--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    /** Verifies a multipart/signed or decrypts a multipart/encrypted message. Never throws on content. */
    public Opened open(byte[] message, List<OpenPGPKey> keys, List<OpenPGPCertificate> certs) {
        return open(message, keys, certs, 0);
    }

    private Opened open(byte[] message, List<OpenPGPKey> keys, List<OpenPGPCertificate> certs, int depth) {
        if (message.length > maxBytes) return new Opened.Malformed(message.length + " octets, more than " + maxBytes);
        MessageStructure structure;
        try {
            structure = MessageStructure.parse(new ByteArrayInputStream(message), new MessageStructure.Limits(256 * 1024, 1000, 20, 1000, 200));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
        Part root = structure.root();
        String protocol = root.param("protocol") == null ? "" : root.param("protocol").strip().toLowerCase(Locale.ROOT);
        if (root.mediaType().equals("multipart/signed") && protocol.equals("application/pgp-signature")) {
            if (structure.limitHit()) return new Opened.Malformed("MIME structure past the parser limits");
            // RFC 3156 §5 / RFC 1847 §2.1: exactly two parts, the content and the signature
            if (root.children().size() != 2) return new Opened.Malformed("multipart/signed with " + root.children().size() + " parts, not 2");
            Part content = root.children().get(0);
            Part sigPart = root.children().get(1);
            if (!sigPart.mediaType().equals("application/pgp-signature")) {
                return new Opened.Malformed("second part is " + sigPart.mediaType() + ", not application/pgp-signature");
            }
            byte[] sig = MimeText.decodedBody(message, sigPart);
            if (sig == null) return new Opened.Malformed("signature part in transfer encoding " + sigPart.encoding());
            // RFC 3156 §5: the signed data is the first part's exact octets, headers included, up to the
            // CRLF that belongs to the next delimiter
            byte[] signed = Arrays.copyOfRange(message, (int) content.headerStart(), (int) content.end());
            List<OpenPgpVerification> v = new OpenPgpVerifier(maxBytes).verifyDetached(certs, sig, signed);
            boolean good = v.stream().anyMatch(x -> x instanceof OpenPgpVerification.Good);
            byte[] canonical = MimeText.canonicalize(signed);
            if (!good && canonical != signed) {
                // Leniency: bare LFs from a store or tool on the way; the canonical form is what was signed (RFC 3156 §5)
                v = new OpenPgpVerifier(maxBytes).verifyDetached(certs, sig, canonical);
            }
            return new Opened.Signed(signed, v);
        }
        if (root.mediaType().equals("multipart/encrypted") && protocol.equals("application/pgp-encrypted")) {
            if (structure.limitHit()) return new Opened.Malformed("MIME structure past the parser limits");
            // RFC 3156 §4: two parts, application/pgp-encrypted ("Version: 1") and application/octet-stream
            if (root.children().size() != 2) return new Opened.Malformed("multipart/encrypted with " + root.children().size() + " parts, not 2");
            Part control = root.children().get(0);
            Part data = root.children().get(1);
            if (!control.mediaType().equals("application/pgp-encrypted")) return new Opened.Malformed("first part is " + control.mediaType());
            byte[] controlBody = MimeText.decodedBody(message, control);
            if (controlBody == null || !new String(controlBody, StandardCharsets.US_ASCII).contains("Version: 1")) {
                return new Opened.Malformed("application/pgp-encrypted part without \"Version: 1\"");
            }
            if (!data.mediaType().equals("application/octet-stream")) return new Opened.Malformed("second part is " + data.mediaType());
            byte[] ciphertext = MimeText.decodedBody(message, data);
            if (ciphertext == null) return new Opened.Malformed("encrypted part in transfer encoding " + data.encoding());
            OpenPgpDecryption d = new OpenPgpDecryptor(maxBytes).decrypt(keys, certs, ciphertext);
            if (d instanceof OpenPgpDecryption.Failed f) return new Opened.DecryptionFailed(f);
            OpenPgpDecryption.Decrypted ok = (OpenPgpDecryption.Decrypted) d;
            List<OpenPgpVerification> v = new ArrayList<>(ok.verifications());
            if (depth == 0 && open(ok.plaintext(), keys, certs, depth + 1) instanceof Opened.Signed inner) {
                v.addAll(inner.verifications()); // RFC 3156 §6.1: signed, then encrypted
            }
            return new Opened.Decrypted(ok.plaintext(), v, ok.aead());
        }
        return new Opened.NotPgpMime();
    }
}
