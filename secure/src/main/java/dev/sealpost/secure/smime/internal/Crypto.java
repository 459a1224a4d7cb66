package dev.sealpost.secure.smime.internal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.io.IOException;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Bouncy Castle plumbing shared by the S/MIME classes. */
public final class Crypto {
    private Crypto() {}

    /**
     * One Bouncy Castle provider instance, passed explicitly to every JCA/BC builder. It is never
     * added to {@link java.security.Security}, so the rest of the server keeps the JDK's providers.
     */
    public static final Provider BC = new BouncyCastleProvider();

    /** Deepest ASN.1 nesting accepted; real CMS objects with certificates stay under 20. */
    public static final int MAX_ASN1_DEPTH = 64;

    /** ASN.1 nested deeper than {@link #MAX_ASN1_DEPTH}. */
    public static final class TooDeepException extends IOException {
        public TooDeepException(String message) {
            super(message);
        }
    }

    /**
     * Parses untrusted DER/BER: nesting is checked first without recursion (Bouncy Castle's parser
     * recurses once per level, so a few hundred kilobytes of nested SEQUENCEs would overflow the
     * stack), then parsed with a length limit (no element may claim more octets than the input holds).
     */
    public static ASN1Primitive parse(byte[] der) throws IOException {
        checkNesting(der, MAX_ASN1_DEPTH);
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ASN1Primitive p = in.readObject();
            if (p == null) throw new IOException("empty input");
            return p; // trailing octets after the object are ignored (leniency: some agents pad the base64 body)
        }
    }

    /**
     * Walks the TLV structure (X.690 §8.1) iteratively and throws when constructed encodings nest
     * deeper than {@code maxDepth}. Malformed lengths end the walk: the parser proper reports them.
     */
    static void checkNesting(byte[] b, int maxDepth) throws TooDeepException {
        long[] ends = new long[maxDepth + 1]; // -1: indefinite length (X.690 §8.1.3.6)
        int depth = 0;
        int pos = 0;
        while (pos < b.length) {
            while (depth > 0 && ends[depth - 1] >= 0 && pos >= ends[depth - 1]) depth--;
            if (depth > 0 && ends[depth - 1] < 0 && pos + 1 < b.length && b[pos] == 0 && b[pos + 1] == 0) { // end-of-contents
                pos += 2;
                depth--;
                continue;
            }
            int tag = b[pos++] & 0xff;
            boolean constructed = (tag & 0x20) != 0;
            if ((tag & 0x1f) == 0x1f) { // high tag number form, X.690 §8.1.2.4
                int n = 0;
                while (pos < b.length && (b[pos] & 0x80) != 0 && n++ < 5) pos++;
                pos++;
            }
            if (pos >= b.length) return;
            int first = b[pos++] & 0xff;
            long length;
            if (first == 0x80) {
                length = -1;
            } else if (first < 0x80) {
                length = first;
            } else {
                int n = first & 0x7f;
                if (n > 4 || pos + n > b.length) return;
                length = 0;
                for (int i = 0; i < n; i++) length = (length << 8) | (b[pos++] & 0xff);
            }
            if (constructed) {
                if (++depth > maxDepth) throw new TooDeepException("ASN.1 nested deeper than " + maxDepth);
                ends[depth - 1] = length < 0 ? -1 : pos + length;
            } else {
                if (length < 0) return; // primitive with indefinite length: malformed, for the parser to refuse
                pos += (int) Math.min(length, b.length - pos);
            }
        }
    }

    public static X509Certificate toX509(X509CertificateHolder holder) throws CertificateException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException e) {
            throw new CertificateParsingException(e);
        }
    }

    public static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new X509CertificateHolder(cert.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("unreadable certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    /**
     * The mail addresses a certificate is issued to, lower case: rfc822Name subject alternative
     * names, and the legacy emailAddress attribute of the subject DN that receiving agents must
     * still recognize (RFC 8550 §3).
     */
    public static List<String> emailAddresses(X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(GeneralName.rfc822Name).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable SAN extension names nobody
        }
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = atv.getType();
                ASN1Encodable value = atv.getValue();
                if (type.equals(BCStyle.EmailAddress) && value instanceof ASN1IA5String s) {
                    out.add(s.getString().strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ArrayList<>(out);
    }
}
