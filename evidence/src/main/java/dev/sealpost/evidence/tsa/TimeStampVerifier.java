package dev.sealpost.evidence.tsa;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;

/** Checks an RFC 3161 token against a digest and the CA certificate; the outcome as a value. */
public final class TimeStampVerifier {
    private TimeStampVerifier() {}

    public sealed interface Result {}

    /** The token is good: the TSA (chained to the CA) stamped this digest at {@code time}. */
    public record Valid(Instant time, String tsa) implements Result {}

    public record Invalid(String reason) implements Result {}

    /** Verifies a token (CMS ContentInfo, DER) over {@code sha256} with {@code caCert} as the only trust anchor. */
    public static Result verify(byte[] token, byte[] sha256, X509Certificate caCert) {
        TimeStampToken t;
        try {
            t = new TimeStampToken(new CMSSignedData(token));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            return new Invalid("not a time-stamp token: " + e.getMessage());
        }
        // RFC 3161 §2.4.2: the messageImprint must be SHA-256 of the record.
        if (!TSPAlgorithms.SHA256.equals(t.getTimeStampInfo().getMessageImprintAlgOID())) return new Invalid("the imprint is not SHA-256");
        if (!MessageDigest.isEqual(t.getTimeStampInfo().getMessageImprintDigest(), sha256)) return new Invalid("the token is over other data");
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> certs = t.getCertificates().getMatches(t.getSID());
        if (certs.size() != 1) return new Invalid("the token does not carry its signer's certificate");
        try {
            X509Certificate signer = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(certs.iterator().next());
            signer.verify(caCert.getPublicKey());
            signer.checkValidity(t.getTimeStampInfo().getGenTime());
            // validate() checks the signature, the ESSCertID(v2) binding and RFC 3161 §2.3's critical timeStamping EKU.
            t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
            return new Valid(t.getTimeStampInfo().getGenTime().toInstant(), signer.getSubjectX500Principal().getName());
        } catch (GeneralSecurityException e) {
            return new Invalid("the TSA certificate is not from this CA or not valid then: " + e.getMessage());
        } catch (TSPException | OperatorCreationException e) {
            return new Invalid("the token does not verify: " + e.getMessage());
        }
    }
}
