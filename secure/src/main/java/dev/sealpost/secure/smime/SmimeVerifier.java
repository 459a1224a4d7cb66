package dev.sealpost.secure.smime;

import dev.sealpost.message.Address;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import dev.sealpost.secure.smime.internal.Crypto;
import dev.sealpost.secure.smime.internal.MimeText;
import dev.sealpost.secure.smime.internal.SignerCheck;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Verifies S/MIME signatures (RFC 8551 §3.5, RFC 5652 §5.6) on a whole received message: the
 * clear-signed {@code multipart/signed} form (RFC 1847 §2.1) and the opaque
 * {@code application/pkcs7-mime; smime-type=signed-data} form (RFC 8551 §3.5.2). For each signer:
 * the signature and the content digest, the chain from the signer's certificate to one of the
 * given trust anchors (PKIX, RFC 5280 §6, through the JDK's CertPathBuilder; revocation from the
 * given CRLs only, never fetched), key usage (RFC 8550 §4.4.2, §4.4.4), and that the certificate
 * names the From or Sender address (RFC 8550 §3).
 *
 * <p>Receiving is lenient about algorithms where RFC 8551 §2 lets it be: SHA-1 and DSA signatures
 * (the RFC 4134 examples) verify; MD5 and MD2 do not. Nothing here produces them.
 *
 * <p>Only the top-level entity is looked at: a signed message forwarded as an attachment is not
 * this message's signature. Sans-I/O and thread-safe.
 */
public final class SmimeVerifier {
    private final SignerCheck check;
    private final SmimeLimits limits;

    /**
     * @param trustAnchors root (or pinned) certificates a signer's chain must reach
     * @param crls         revocation lists to check the chain against; empty turns revocation checking off
     * @param clock        the validation time (certificate validity, CRL currency)
     */
    public SmimeVerifier(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Clock clock, SmimeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.check = new SignerCheck(trustAnchors, crls, clock, limits);
    }

    /** Verifies a whole message (header and body). Never throws on content. */
    public SmimeVerification verify(byte[] message) {
        if (message.length > limits.maxMessageBytes()) {
            return new SmimeVerification.Fail(SmimeFailure.MESSAGE_TOO_LARGE, message.length + " octets, more than " + limits.maxMessageBytes());
        }
        MessageStructure structure;
        try {
            structure = MessageStructure.parse(new ByteArrayInputStream(message),
                    new MessageStructure.Limits(256 * 1024, 1000, limits.maxDepth(), 1000, 200));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e); // cannot happen
        }
        Part root = structure.root();
        List<String> from = senders(structure);
        String media = root.mediaType();
        if (media.equals("multipart/signed")) {
            String protocol = root.param("protocol");
            if (protocol == null || !isPkcs7Signature(protocol.strip().toLowerCase(Locale.ROOT))) {
                return new SmimeVerification.None(); // e.g. PGP/MIME, RFC 3156: not ours to judge here
            }
            if (structure.limitHit()) return new SmimeVerification.Fail(SmimeFailure.MIME_LIMIT, "MIME structure past the parser limits");
            // RFC 1847 §2.1: exactly two body parts, the content and the signature
            if (root.children().size() != 2) {
                return new SmimeVerification.Fail(SmimeFailure.MALFORMED_MIME, "multipart/signed with " + root.children().size() + " parts, not 2");
            }
            Part content = root.children().get(0);
            Part sigPart = root.children().get(1);
            if (!isPkcs7Signature(sigPart.mediaType())) {
                return new SmimeVerification.Fail(SmimeFailure.MALFORMED_MIME, "second part is " + sigPart.mediaType() + ", not application/pkcs7-signature");
            }
            byte[] signature = MimeText.decodedBody(message, sigPart);
            if (signature == null) {
                return new SmimeVerification.Fail(SmimeFailure.MALFORMED_MIME, "signature part in transfer encoding " + sigPart.encoding());
            }
            // RFC 8551 §3.5.3 / RFC 1847 §2.1: the signature covers the first part's exact octets, header
            // included, up to the CRLF that belongs to the next delimiter. Leniency: when those octets hold bare
            // LFs (a store or tool turned CRLF into LF on the way) and do not verify, their canonical CRLF form
            // (RFC 8551 §3.1.1) is tried too; the received octets come first, so binary content signed as is still verifies.
            byte[] signed = java.util.Arrays.copyOfRange(message, (int) content.headerStart(), (int) content.end());
            // micalg (RFC 8551 §3.5.3.2) is not relied on: the SignerInfo names its own digest algorithm
            SmimeVerification result = best(verifySignedData(signature, signed, from));
            byte[] canonical = MimeText.canonicalize(signed);
            if (canonical != signed && result instanceof SmimeVerification.Fail f
                    && (f.failure() == SmimeFailure.DIGEST_MISMATCH || f.failure() == SmimeFailure.BAD_SIGNATURE)) {
                result = best(verifySignedData(signature, canonical, from)); // the octets as received first, then CRLF
            }
            return result;
        }
        if (media.equals("application/pkcs7-mime") || media.equals("application/x-pkcs7-mime")) {
            String smimeType = root.param("smime-type");
            if (smimeType != null && !smimeType.equalsIgnoreCase("signed-data")) {
                return new SmimeVerification.None(); // enveloped-data, authEnveloped-data, certs-only, compressed-data
            }
            byte[] der = MimeText.decodedBody(message, root);
            if (der == null) {
                return new SmimeVerification.Fail(SmimeFailure.MALFORMED_MIME, "pkcs7-mime body in transfer encoding " + root.encoding());
            }
            if (smimeType == null && !isSignedData(der)) {
                return new SmimeVerification.None(); // leniency: old agents leave smime-type out; only SignedData counts here
            }
            return best(verifySignedData(der, null, from));
        }
        return new SmimeVerification.None();
    }

    /**
     * Verifies one CMS SignedData (a DER or BER ContentInfo) and returns one result per signer, in
     * SignerInfo order; an empty list when it has no signers (certs-only, RFC 8551 §3.6), or a single
     * {@link SmimeVerification.Fail} when the object itself is unusable.
     *
     * @param detachedContent the signed octets for a detached signature, or null when encapsulated
     * @param senders         the message's From/Sender addresses, lower case, for the RFC 8550 §3 check;
     *                        null when there is no message around the CMS object (no address check)
     */
    public List<SmimeVerification> verifySignedData(byte[] cms, byte[] detachedContent, List<String> senders) {
        if (cms.length > limits.maxMessageBytes()) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.MESSAGE_TOO_LARGE, cms.length + " octets of CMS"));
        }
        CMSSignedData data;
        try {
            ContentInfo info = ContentInfo.getInstance(Crypto.parse(cms));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                return List.of(new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, "content type " + info.getContentType() + " is not SignedData"));
            }
            data = detachedContent == null ? new CMSSignedData(info) : new CMSSignedData(new CMSProcessableByteArray(detachedContent), info);
        } catch (Crypto.TooDeepException e) {
            return List.of(new SmimeVerification.Fail(SmimeFailure.CMS_TOO_DEEP, e.getMessage()));
        } catch (IOException | CMSException | RuntimeException e) {
            // BC reports malformed ASN.1 with IllegalArgumentException, ClassCastException and friends
            return List.of(new SmimeVerification.Fail(SmimeFailure.MALFORMED_CMS, describe(e)));
        }
        return check.verifyAll(data, detachedContent == null, senders);
    }

    private static SmimeVerification best(List<SmimeVerification> results) {
        SmimeVerification best = new SmimeVerification.None();
        for (SmimeVerification r : results) if (SmimeVerification.rank(r) > SmimeVerification.rank(best)) best = r;
        return best;
    }

    private static boolean isPkcs7Signature(String mediaType) {
        // Leniency: the x- form from before RFC 2633 is still written by some agents
        return mediaType.equals("application/pkcs7-signature") || mediaType.equals("application/x-pkcs7-signature");
    }

    private static boolean isSignedData(byte[] der) {
        try {
            ASN1Primitive p = Crypto.parse(der);
            return CMSObjectIdentifiers.signedData.equals(ContentInfo.getInstance(p).getContentType());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** RFC 8550 §3: the From or Sender mailboxes. */
    private static List<String> senders(MessageStructure structure) {
        List<String> out = new ArrayList<>();
        for (Address a : structure.envelope().from()) if (a.isMailbox()) out.add(a.address().toLowerCase(Locale.ROOT));
        for (Address a : structure.envelope().sender()) if (a.isMailbox()) out.add(a.address().toLowerCase(Locale.ROOT));
        return out;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
