package dev.sealpost.bench.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimHasher;
import dev.sealpost.auth.dkim.SignOptions;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bare signature with Bouncy Castle's lightweight API (bcprov, already a dependency of the
 * server) instead of the JDK providers, over the same header hash input and keys as
 * {@link DkimPartsBenchmark}'s {@code raw*} benchmarks: is another pure-Java implementation
 * faster? Both algorithms are deterministic, so set-up checks that Bouncy Castle's signatures
 * are byte-identical to the JDK's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@State(Scope.Thread)
public class DkimProviderBenchmark {
    private byte[] headerData;
    private byte[] headerHash;
    private byte[] rsaSignature;
    private byte[] edSignature;
    private RSAPrivateCrtKeyParameters rsaPrivate;
    private RSAKeyParameters rsaPublic;
    private Ed25519PrivateKeyParameters edPrivate;
    private Ed25519PublicKeyParameters edPublic;

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException, CryptoException {
        DkimFixtures fx = new DkimFixtures();
        AuthMessage msg = AuthMessage.of(DkimFixtures.message(4096));
        String field = fx.signer.sign(msg, fx.rsa, SignOptions.DEFAULT);
        headerData = DkimHasher.headerData(msg, List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
                "MIME-Version", "Content-Type", "From", "Subject", "To", "Date"), Canonicalization.RELAXED,
                DkimHasher.blankTag(field + "\r\n", "b"));
        headerHash = MessageDigest.getInstance("SHA-256").digest(headerData);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) fx.rsa.privateKey();
        rsaPrivate = new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient());
        rsaPublic = new RSAKeyParameters(false, k.getModulus(), k.getPublicExponent());
        byte[] seed = ((EdECPrivateKey) fx.ed.privateKey()).getBytes().orElseThrow();
        edPrivate = new Ed25519PrivateKeyParameters(seed, 0);
        edPublic = edPrivate.generatePublicKey();
        rsaSignature = signRsa();
        edSignature = signEd25519();
        // RFC 8017 §8.2 (PKCS #1 v1.5) and RFC 8032 §5.1.6 (Ed25519) signatures are deterministic
        if (!Arrays.equals(rsaSignature, DkimHasher.sign(DkimAlgorithm.RSA_SHA256, fx.rsa.privateKey(), headerData))
                || !Arrays.equals(edSignature, DkimHasher.sign(DkimAlgorithm.ED25519_SHA256, fx.ed.privateKey(), headerData))
                || !verifyRsa() || !verifyEd25519()) {
            throw new IllegalStateException("Bouncy Castle and JDK signatures differ");
        }
    }

    @Benchmark
    public byte[] signRsa() throws CryptoException {
        RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
        s.init(true, rsaPrivate);
        s.update(headerData, 0, headerData.length);
        return s.generateSignature();
    }

    @Benchmark
    public boolean verifyRsa() {
        RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
        s.init(false, rsaPublic);
        s.update(headerData, 0, headerData.length);
        return s.verifySignature(rsaSignature);
    }

    /** RFC 8463 §3: Ed25519 signs the SHA-256 of the header data (hashed in set-up: this is the public-key part only). */
    @Benchmark
    public byte[] signEd25519() {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, edPrivate);
        s.update(headerHash, 0, headerHash.length);
        return s.generateSignature();
    }

    @Benchmark
    public boolean verifyEd25519() {
        Ed25519Signer s = new Ed25519Signer();
        s.init(false, edPublic);
        s.update(headerHash, 0, headerHash.length);
        return s.verifySignature(edSignature);
    }
}
