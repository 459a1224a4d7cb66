package dev.sealpost.secure.smime;

import dev.sealpost.secure.smime.internal.Crypto;
import dev.sealpost.secure.smime.internal.MimeText;
import dev.sealpost.secure.smime.internal.MimeText.Field;
import dev.sealpost.secure.smime.internal.MimeText.Split;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Signs a message as S/MIME 4.0 (RFC 8551) {@code multipart/signed} (RFC 1847 §2.1): the message's
 * Content-* fields and body become the first part, signed over its exact canonical octets
 * (RFC 8551 §3.5), and a detached CMS SignedData (RFC 5652 §5) is the second. The other header
 * fields (From, To, Subject, ...) stay outside, unprotected (header protection, RFC 9788, is a
 * later step).
 *
 * <p>Signed attributes: contentType, messageDigest, signingTime (from the given {@link Clock}),
 * SMIMECapabilities (RFC 8551 §2.5.2), and Bouncy Castle's CMSAlgorithmProtection (RFC 6211).
 * The signer's certificate chain is included. Algorithms by key (RFC 8551 §2.1, §2.2):
 * RSA with SHA-256 and PKCS#1 v1.5 (or RSASSA-PSS on request), ECDSA with SHA-256, Ed25519
 * (RFC 8419 §3: with signed attributes its message digest is SHA-512, so micalg is {@code sha-512}).
 * SHA-1, MD5 and DSA are never produced.
 *
 * <p>Sans-I/O and thread-safe: one instance per signing key.
 */
public final class SmimeSigner {

    /** The RSA signature scheme (RFC 8551 §2.2: RSASSA-PKCS1-v1_5 MUST, RSASSA-PSS SHOULD+). */
    public enum RsaScheme { PKCS1_V1_5, PSS }

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String signatureAlgorithm;
    private final String micalg;
    private final Clock clock;
    private final SecureRandom random;

    /** RSA keys sign with PKCS#1 v1.5. */
    public SmimeSigner(PrivateKey key, List<X509Certificate> chain, Clock clock) {
        this(key, chain, RsaScheme.PKCS1_V1_5, clock, new SecureRandom());
    }

    /**
     * @param key    the signer's private key (RSA, EC or Ed25519)
     * @param chain  the signer's certificate first, then intermediates (the root may be left out)
     * @param scheme used only for RSA keys
     * @throws IllegalArgumentException for another key type or an empty chain (a configuration fault)
     */
    public SmimeSigner(PrivateKey key, List<X509Certificate> chain, RsaScheme scheme, Clock clock, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) throw new IllegalArgumentException("the signer's certificate chain is empty");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        switch (key.getAlgorithm()) {
            case "RSA" -> {
                // RFC 8551 §2.2; RFC 4056 for PSS (BC's name for RSASSA-PSS with MGF1-SHA-256)
                signatureAlgorithm = scheme == RsaScheme.PSS ? "SHA256withRSAandMGF1" : "SHA256withRSA";
                micalg = "sha-256";
            }
            case "EC", "ECDSA" -> {
                signatureAlgorithm = "SHA256withECDSA"; // RFC 8551 §2.2, RFC 5753
                micalg = "sha-256";
            }
            case "Ed25519", "EdDSA" -> {
                signatureAlgorithm = "Ed25519";
                micalg = "sha-512"; // RFC 8419 §3.1: SHA-512 for the message digest with Ed25519
            }
            default -> throw new IllegalArgumentException("S/MIME signing key type not supported: " + key.getAlgorithm()
                    + " (RSA, EC or Ed25519)");
        }
    }

    /** The micalg parameter this signer writes (RFC 8551 §3.5.3.2). */
    public String micalg() {
        return micalg;
    }

    /**
     * Signs a whole message (header and body; bare LF line ends are made CRLF first) and returns the
     * {@code multipart/signed} message.
     */
    public byte[] sign(byte[] message) {
        Split split = MimeText.split(MimeText.canonicalize(message));
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        ByteArrayOutputStream innerHeader = new ByteArrayOutputStream();
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
        // RFC 8551 §3.1.2: signed content should be 7-bit, or an MTA on the way may re-encode it and break
        // the signature. A leaf's 8-bit or binary body is sent as base64 (its CTE was 8bit, binary or
        // absent: the octets are the content). A composite with 8-bit inner parts is signed as it is.
        boolean reencode = !composite && MimeText.needs7bitEncoding(body);
        for (Field f : split.fields()) {
            if (f.is("MIME-Version")) continue; // written once, outside
            if (!f.isContentField()) {
                outer.writeBytes(f.raw());
            } else if (!(reencode && f.is("Content-Transfer-Encoding"))) {
                innerHeader.writeBytes(f.raw());
            }
        }
        if (!hasContentType) innerHeader.writeBytes(MimeText.ascii("Content-Type: text/plain; charset=us-ascii\r\n")); // RFC 2045 §5.2 default, made explicit
        if (reencode) {
            innerHeader.writeBytes(MimeText.ascii("Content-Transfer-Encoding: base64\r\n"));
            body = MimeText.base64Lines(body);
        }
        byte[] signedPart = MimeText.concat(innerHeader.toByteArray(), MimeText.ascii("\r\n"), body);

        byte[] signature = signDetached(signedPart);
        String boundary = MimeText.boundary(random, signedPart);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(outer.toByteArray());
        out.writeBytes(MimeText.ascii("MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=" + micalg + ";\r\n"
                + "\tboundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "This is a cryptographically signed message in MIME format.\r\n"
                + "\r\n--" + boundary + "\r\n"));
        out.writeBytes(signedPart);
        // RFC 2046 §5.1.1: the CRLF before the delimiter belongs to the delimiter, not to the signed part
        out.writeBytes(MimeText.ascii("\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                + "Content-Description: S/MIME Cryptographic Signature\r\n"
                + "\r\n"));
        out.writeBytes(MimeText.base64Lines(signature));
        out.writeBytes(MimeText.ascii("\r\n--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    /** A detached SignedData (DER ContentInfo) over exactly {@code content}. */
    public byte[] signDetached(byte[] content) {
        return signedData(content, false);
    }

    /** An encapsulating SignedData (DER ContentInfo) holding {@code content}, as in {@code smime-type=signed-data}. */
    public byte[] signEncapsulated(byte[] content) {
        return signedData(content, true);
    }

    private byte[] signedData(byte[] content, boolean encapsulate) {
        try {
            ASN1EncodableVector attrs = new ASN1EncodableVector();
            // RFC 5652 §11.3 signingTime: UTCTime through 2049 (Time chooses)
            attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
            // RFC 8551 §2.5.2: what we can decrypt, most preferred first
            SMIMECapabilityVector caps = new SMIMECapabilityVector();
            caps.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
            caps.addCapability(NISTObjectIdentifiers.id_aes128_GCM);
            caps.addCapability(NISTObjectIdentifiers.id_aes256_CBC);
            caps.addCapability(NISTObjectIdentifiers.id_aes128_CBC);
            caps.addCapability(PKCSObjectIdentifiers.id_RSAES_OAEP);
            attrs.add(new SMIMECapabilitiesAttribute(caps));
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(Crypto.BC)
                    .setSecureRandom(random).build(key);
            SignerInfoGenerator sig = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.BC).build())
                    // contentType and messageDigest are added by the generator (RFC 5652 §5.3); signingTime is ours
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(signer, chain.getFirst());
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(sig);
            gen.addCertificates(new JcaCertStore(chain));
            CMSSignedData data = gen.generate(new CMSProcessableByteArray(content), encapsulate);
            return data.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CertificateEncodingException e) {
            throw new IllegalStateException("S/MIME signer not usable: " + e.getMessage(), e);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("S/MIME signing failed: " + e.getMessage(), e);
        }
    }
}
