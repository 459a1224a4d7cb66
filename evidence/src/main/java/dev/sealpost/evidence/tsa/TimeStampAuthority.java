package dev.sealpost.evidence.tsa;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * An RFC 3161 time-stamping authority in process: stamps a SHA-256 digest (of a record's canonical
 * bytes) with the current time, signed by the TSA key of an {@link InternalCa}.
 */
public final class TimeStampAuthority {
    /** The TSA policy (RFC 3161 §2.4.2 TSTInfo.policy): an OID under the 2.999 example arc until configured. */
    public static final String DEFAULT_POLICY = "2.999.3161.1";

    private final InternalCa ca;
    private final Clock clock;
    private final ASN1ObjectIdentifier policy;
    private final SecureRandom random = new SecureRandom();

    public TimeStampAuthority(InternalCa ca, Clock clock) {
        this(ca, clock, DEFAULT_POLICY);
    }

    public TimeStampAuthority(InternalCa ca, Clock clock, String policyOid) {
        this.ca = ca;
        this.clock = clock;
        this.policy = new ASN1ObjectIdentifier(policyOid);
    }

    public InternalCa ca() {
        return ca;
    }

    /** A stamp: the whole TimeStampResp (what {@code openssl ts -verify -in} reads) and its token (a CMS ContentInfo). */
    public record Stamp(byte[] response, byte[] token, Date time, BigInteger serial) {}

    /** RFC 3161 §2.4: stamps a 32-byte SHA-256 digest. */
    public Stamp stamp(byte[] sha256) {
        if (sha256.length != 32) throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        TimeStampRequestGenerator rg = new TimeStampRequestGenerator();
        rg.setCertReq(true);   // RFC 3161 §2.4.1 certReq: the token carries the TSA certificate
        BigInteger nonce = new BigInteger(64, random);
        TimeStampRequest req = rg.generate(TSPAlgorithms.SHA256, sha256, nonce);
        return answer(req);
    }

    /** Answers a DER TimeStampReq from outside (RFC 3161 §3.4 over HTTP, later); the response as bytes. */
    public byte[] answer(byte[] derRequest) throws IOException {
        try {
            return answer(new TimeStampRequest(derRequest)).response();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a time-stamp request", e);
        }
    }

    /**
     * Generators built once and reused (the signer, the ESSCertIDv2 hash of the certificate): a
     * stamp per record is on the path to "250". One per concurrent caller, so stamps run in parallel.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<TimeStampResponseGenerator> generators = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private TimeStampResponseGenerator generator() throws OperatorCreationException, TSPException, CertificateEncodingException {
        TimeStampResponseGenerator generator = generators.poll();
        if (generator != null) return generator;
        DigestCalculator sha256 = new JcaDigestCalculatorProviderBuilder().build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
        // RFC 5816: with a SHA-256 certificate digest the token carries ESSCertIDv2.
        TimeStampTokenGenerator tg = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", ca.tsaKey(), ca.tsaCert()), sha256, policy);
        tg.addCertificates(new JcaCertStore(List.of(ca.tsaCert())));
        tg.setAccuracySeconds(1);
        generator = new TimeStampResponseGenerator(tg, TSPAlgorithms.ALLOWED);
        return generator;
    }

    private Stamp answer(TimeStampRequest req) {
        TimeStampResponseGenerator rg = null;
        try {
            rg = generator();
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);   // RFC 3161 §2.4.2: unique serial
            Date now = Date.from(clock.instant());
            TimeStampResponse resp = rg.generate(req, serial, now);
            if (resp.getTimeStampToken() == null) throw new IllegalStateException("TSA refused: " + resp.getStatusString());
            return new Stamp(resp.getEncoded(), resp.getTimeStampToken().getEncoded(), now, serial);
        } catch (OperatorCreationException | TSPException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("time-stamping failed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("time-stamping failed", e);
        } finally {
            if (rg != null) generators.add(rg);
        }
    }
}
