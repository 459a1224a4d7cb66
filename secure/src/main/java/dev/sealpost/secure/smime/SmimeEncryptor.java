package dev.sealpost.secure.smime;

import dev.sealpost.secure.smime.internal.Crypto;
import dev.sealpost.secure.smime.internal.MimeText;
import dev.sealpost.secure.smime.internal.MimeText.Field;
import dev.sealpost.secure.smime.internal.MimeText.Split;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Encrypts a message as S/MIME 4.0 {@code application/pkcs7-mime} (RFC 8551 §3.3): the message's
 * Content-* fields and body (the MIME entity) are encrypted, the other header fields stay outside.
 * By default AES-256-GCM AuthEnvelopedData (RFC 5083, RFC 5084; {@code smime-type=authEnveloped-data},
 * RFC 8551 §3.4); AES-256-CBC EnvelopedData (RFC 5652 §6) only when asked for, for recipients that
 * cannot read the former.
 *
 * <p>Key management per recipient certificate (RFC 8551 §2.3): RSA keys get a
 * KeyTransRecipientInfo with RSAES-OAEP (SHA-256, RFC 8017, RFC 4055) or, on request,
 * PKCS#1 v1.5; EC keys get a KeyAgreeRecipientInfo, ephemeral-static ECDH with the SHA-256
 * X9.63 KDF and AES-256 key wrap (RFC 5753 §3.1). X25519 recipients (RFC 8418) are not supported
 * yet: Bouncy Castle 1.87's generator drives an EC-only KeyAgreement for that OID. Every recipient and the sender
 * (so that its own copy stays readable) get the same content-encryption key.
 *
 * <p>Sans-I/O and thread-safe.
 */
public final class SmimeEncryptor {

    /** The content-encryption algorithm (RFC 8551 §2.7). */
    public enum ContentEncryption {
        /** AuthEnvelopedData with AES-256-GCM (RFC 5083, RFC 5084): the default. */
        AES_256_GCM,
        /** EnvelopedData with AES-256-CBC: no integrity of its own; only for recipients that need it. */
        AES_256_CBC
    }

    /** How an RSA recipient's key encrypts the content-encryption key (ignored for EC/X25519 keys). */
    public enum RsaKeyTransport { OAEP_SHA256, PKCS1_V1_5 }

    /** One recipient: a certificate and, for RSA, the key transport it reads. */
    public record Recipient(X509Certificate certificate, RsaKeyTransport rsaKeyTransport) {
        public Recipient {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(rsaKeyTransport, "rsaKeyTransport");
        }

        /** RSAES-OAEP for RSA keys (RFC 8551 §2.3: SHOULD+). */
        public static Recipient of(X509Certificate certificate) {
            return new Recipient(certificate, RsaKeyTransport.OAEP_SHA256);
        }
    }

    private final SecureRandom random;

    public SmimeEncryptor(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Encrypts a whole message (bare LF line ends made CRLF) to every recipient and the sender.
     *
     * @param sender the sender's own recipient entry, or null when it has no certificate
     * @throws IllegalArgumentException when there is no recipient, or a certificate's key cannot be
     *                                  encrypted to (the caller chose the recipient: a bug or bad data)
     */
    public byte[] encrypt(byte[] message, List<Recipient> recipients, Recipient sender, ContentEncryption encryption) {
        Split split = MimeText.split(MimeText.canonicalize(message));
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        ByteArrayOutputStream entity = new ByteArrayOutputStream();
        boolean hasContentType = false;
        for (Field f : split.fields()) {
            if (f.is("MIME-Version")) continue;
            if (f.isContentField()) {
                hasContentType |= f.is("Content-Type");
                entity.writeBytes(f.raw());
            } else {
                outer.writeBytes(f.raw());
            }
        }
        if (!hasContentType) entity.writeBytes(MimeText.ascii("Content-Type: text/plain; charset=us-ascii\r\n"));
        entity.writeBytes(MimeText.ascii("\r\n"));
        entity.writeBytes(split.body());

        List<Recipient> all = new ArrayList<>(recipients);
        if (sender != null) all.add(sender);
        byte[] cms = encryptEntity(entity.toByteArray(), all, encryption);
        String smimeType = encryption == ContentEncryption.AES_256_GCM ? "authEnveloped-data" : "enveloped-data";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(outer.toByteArray());
        out.writeBytes(MimeText.ascii("MIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
                + "Content-Description: S/MIME Encrypted Message\r\n"
                + "\r\n"));
        out.writeBytes(MimeText.base64Lines(cms));
        return out.toByteArray();
    }

    /** The CMS ContentInfo (DER) holding {@code entity} encrypted to {@code recipients} (duplicates removed). */
    public byte[] encryptEntity(byte[] entity, List<Recipient> recipients, ContentEncryption encryption) {
        Set<X509Certificate> seen = new LinkedHashSet<>();
        List<RecipientInfoGenerator> infos = new ArrayList<>();
        for (Recipient r : recipients) {
            if (seen.add(r.certificate())) infos.add(recipientInfo(r));
        }
        if (infos.isEmpty()) throw new IllegalArgumentException("no recipient to encrypt to");
        try {
            if (encryption == ContentEncryption.AES_256_GCM) {
                CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
                infos.forEach(gen::addRecipientInfoGenerator);
                OutputAEADEncryptor enc = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                        .setProvider(Crypto.BC).setSecureRandom(random).build();
                return gen.generate(new CMSProcessableByteArray(entity), enc).toASN1Structure().getEncoded(ASN1Encoding.DER);
            }
            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            infos.forEach(gen::addRecipientInfoGenerator);
            return gen.generate(new CMSProcessableByteArray(entity), new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                    .setProvider(Crypto.BC).setSecureRandom(random).build()).toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("S/MIME encryption failed: " + e.getMessage(), e);
        }
    }

    private RecipientInfoGenerator recipientInfo(Recipient r) {
        X509Certificate cert = r.certificate();
        PublicKey key = cert.getPublicKey();
        try {
            return switch (key.getAlgorithm()) {
                case "RSA" -> r.rsaKeyTransport() == RsaKeyTransport.PKCS1_V1_5
                        ? new JceKeyTransRecipientInfoGenerator(cert).setProvider(Crypto.BC)
                        // RFC 8551 §2.3, RFC 4055 §4.1: RSAES-OAEP with SHA-256 and MGF1-SHA-256
                        : new JceKeyTransRecipientInfoGenerator(cert, new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                                PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                                        MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT))).setProvider(Crypto.BC);
                case "EC" -> {
                    // RFC 5753 §3.1.1: a fresh ephemeral key on the recipient's curve
                    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Crypto.BC);
                    kpg.initialize(((ECPublicKey) key).getParams(), random);
                    KeyPair eph = kpg.generateKeyPair();
                    yield new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, eph.getPrivate(), eph.getPublic(),
                            CMSAlgorithm.AES256_WRAP).addRecipient(cert).setProvider(Crypto.BC).setSecureRandom(random);
                }
                default -> throw new IllegalArgumentException("cannot encrypt to a " + key.getAlgorithm() + " key: "
                        + cert.getSubjectX500Principal());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt to " + cert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }
}
