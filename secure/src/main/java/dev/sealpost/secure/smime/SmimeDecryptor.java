package dev.sealpost.secure.smime;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import dev.sealpost.secure.smime.internal.Crypto;
import dev.sealpost.secure.smime.internal.MimeText;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Decrypts S/MIME {@code application/pkcs7-mime} messages (RFC 8551 §3.3, §3.4) with one private
 * key: AuthEnvelopedData (RFC 5083; AES-GCM, RFC 5084) and EnvelopedData (RFC 5652 §6), through
 * KeyTransRecipientInfo (RSA PKCS#1 v1.5 and RSAES-OAEP) or KeyAgreeRecipientInfo (ECDH, X25519).
 *
 * <p>Leniency on receipt (RFC 8551 §2.7 lets a receiver read old mail): EnvelopedData with 3DES
 * and RC2 (the RFC 4134 examples) decrypts, reported as not {@code authenticated}; single DES
 * does not. CBC content carries no integrity: a caller must not treat it as tamper-evident, and
 * must not tell a sender which of "bad padding" and "bad content" happened (both are
 * {@link SmimeFailure#DECRYPTION_FAILED} here).
 *
 * <p>Sans-I/O and thread-safe.
 */
public final class SmimeDecryptor {
    private static final Map<ASN1ObjectIdentifier, String> CIPHERS = Map.of(
            NISTObjectIdentifiers.id_aes128_GCM, "AES-128-GCM", NISTObjectIdentifiers.id_aes192_GCM, "AES-192-GCM",
            NISTObjectIdentifiers.id_aes256_GCM, "AES-256-GCM", NISTObjectIdentifiers.id_aes128_CBC, "AES-128-CBC",
            NISTObjectIdentifiers.id_aes192_CBC, "AES-192-CBC", NISTObjectIdentifiers.id_aes256_CBC, "AES-256-CBC",
            PKCSObjectIdentifiers.des_EDE3_CBC, "DES-EDE3-CBC", PKCSObjectIdentifiers.RC2_CBC, "RC2-CBC");

    private final PrivateKey key;
    private final X509CertificateHolder certificate;
    private final SmimeLimits limits;

    /**
     * @param key         our private key
     * @param certificate its certificate, by which RecipientInfos name us (issuer and serial, or subject key identifier)
     */
    public SmimeDecryptor(PrivateKey key, X509Certificate certificate, SmimeLimits limits) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Crypto.holder(Objects.requireNonNull(certificate, "certificate"));
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Decrypts a whole message. Never throws on content. */
    public SmimeDecryption decrypt(byte[] message) {
        if (message.length > limits.maxMessageBytes()) {
            return new SmimeDecryption.Fail(SmimeFailure.MESSAGE_TOO_LARGE, message.length + " octets, more than " + limits.maxMessageBytes());
        }
        MessageStructure structure;
        try {
            structure = MessageStructure.parse(new ByteArrayInputStream(message),
                    new MessageStructure.Limits(256 * 1024, 1000, limits.maxDepth(), 1000, 200));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
        Part root = structure.root();
        if (!root.mediaType().equals("application/pkcs7-mime") && !root.mediaType().equals("application/x-pkcs7-mime")) {
            return new SmimeDecryption.Fail(SmimeFailure.NOT_ENCRYPTED, "message is " + root.mediaType());
        }
        String smimeType = root.param("smime-type");
        if (smimeType != null && !smimeType.equalsIgnoreCase("enveloped-data") && !smimeType.equalsIgnoreCase("authEnveloped-data")) {
            return new SmimeDecryption.Fail(SmimeFailure.NOT_ENCRYPTED, "smime-type=" + smimeType);
        }
        byte[] der = MimeText.decodedBody(message, root);
        if (der == null) return new SmimeDecryption.Fail(SmimeFailure.MALFORMED_MIME, "pkcs7-mime body in transfer encoding " + root.encoding());
        return decryptCms(der);
    }

    /** Decrypts one CMS ContentInfo (EnvelopedData or AuthEnvelopedData, DER or BER). Never throws on content. */
    public SmimeDecryption decryptCms(byte[] cms) {
        if (cms.length > limits.maxMessageBytes()) {
            return new SmimeDecryption.Fail(SmimeFailure.MESSAGE_TOO_LARGE, cms.length + " octets of CMS");
        }
        ContentInfo info;
        RecipientInformationStore store;
        ASN1ObjectIdentifier cipher;
        boolean authenticated;
        try {
            info = ContentInfo.getInstance(Crypto.parse(cms));
            if (CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
                CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(info);
                store = data.getRecipientInfos();
                cipher = new ASN1ObjectIdentifier(data.getEncryptionAlgOID());
                authenticated = true;
            } else if (CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
                CMSEnvelopedData data = new CMSEnvelopedData(info);
                store = data.getRecipientInfos();
                cipher = data.getContentEncryptionAlgorithm().getAlgorithm();
                authenticated = false;
            } else {
                return new SmimeDecryption.Fail(SmimeFailure.NOT_ENCRYPTED, "content type " + info.getContentType());
            }
        } catch (Crypto.TooDeepException e) {
            return new SmimeDecryption.Fail(SmimeFailure.CMS_TOO_DEEP, e.getMessage());
        } catch (Exception e) { // IOException, CMSException, and BC's runtime exceptions on malformed ASN.1
            return new SmimeDecryption.Fail(SmimeFailure.MALFORMED_CMS, SmimeVerifier.describe(e));
        }
        String cipherName = CIPHERS.get(cipher);
        if (cipherName == null) {
            return new SmimeDecryption.Fail(cipher.getId().equals("1.3.14.3.2.7") ? SmimeFailure.WEAK_ALGORITHM // single DES
                    : SmimeFailure.UNSUPPORTED_ALGORITHM, "content encryption " + cipher);
        }
        if (authenticated != cipherName.endsWith("GCM")) {
            // RFC 5083 §2: AuthEnvelopedData needs an authenticated cipher; a CBC one there would claim integrity it lacks
            return new SmimeDecryption.Fail(SmimeFailure.MALFORMED_CMS, cipherName + " in " + (authenticated ? "AuthEnvelopedData" : "EnvelopedData"));
        }
        Collection<RecipientInformation> recipients = store.getRecipients();
        if (recipients.size() > limits.maxRecipients()) {
            return new SmimeDecryption.Fail(SmimeFailure.TOO_MANY_RECIPIENTS, recipients.size() + " recipients, more than " + limits.maxRecipients());
        }
        for (RecipientInformation r : recipients) {
            boolean ours;
            try {
                ours = names(r.getRID(), certificate);
            } catch (RuntimeException e) {
                continue;
            }
            if (!ours) continue;
            Recipient recipient = switch (r) {
                case KeyTransRecipientInformation kt -> authenticated
                        ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider(Crypto.BC)
                        : new JceKeyTransEnvelopedRecipient(key).setProvider(Crypto.BC);
                case KeyAgreeRecipientInformation ka -> authenticated
                        ? new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(Crypto.BC)
                        : new JceKeyAgreeEnvelopedRecipient(key).setProvider(Crypto.BC);
                default -> null; // KEK, password and KEM recipient infos are not for a certificate
            };
            if (recipient == null) continue;
            try {
                return new SmimeDecryption.Decrypted(r.getContent(recipient), cipherName, authenticated);
            } catch (Exception e) { // CMSException (wrong key, bad padding, bad GCM tag) and BC runtime exceptions
                return new SmimeDecryption.Fail(SmimeFailure.DECRYPTION_FAILED, SmimeVerifier.describe(e));
            }
        }
        return new SmimeDecryption.NotForUs();
    }

    /** RFC 5652 §6.2.1/§6.2.2: a RecipientInfo names us by issuer and serial number or by subject key identifier. */
    @SuppressWarnings("unchecked") // RecipientId is a raw Selector; what it selects are certificate holders
    private static boolean names(org.bouncycastle.cms.RecipientId rid, X509CertificateHolder cert) {
        return ((org.bouncycastle.util.Selector<X509CertificateHolder>) rid).match(cert);
    }
}
