package dev.sealpost.bench.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimHasher;
import dev.sealpost.auth.dkim.SignOptions;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parts of a DKIM signature, to see where {@link DkimBenchmark}'s time goes: the body hash
 * (relaxed and simple canonicalisation, and plain SHA-256 of the same bytes as the floor),
 * parsing the message, and the bare public-key operation over the header hash input
 * ({@link DkimHasher#sign}/{@link DkimHasher#verify}: the JDK's {@code SHA256withRSA} and
 * {@code Ed25519}), which is what {@code openssl speed} measures on its side.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class DkimPartsBenchmark {

    /** A message of each size, for the per-byte parts. */
    @State(Scope.Thread)
    public static class Body {
        @Param({"4096", "102400"})
        public int size;

        byte[] bytes;
        AuthMessage msg;
        MessageDigest sha256;

        @Setup(Level.Trial)
        public void setUp() throws NoSuchAlgorithmException {
            bytes = DkimFixtures.message(size);
            msg = AuthMessage.of(bytes);
            sha256 = MessageDigest.getInstance("SHA-256");
        }
    }

    /** The keys and a real header hash input (the fields a default signature covers, and its own field). */
    @State(Scope.Thread)
    public static class Keys {
        DkimFixtures fx;
        byte[] headerData;
        byte[] rsaSignature;
        byte[] edSignature;

        @Setup(Level.Trial)
        public void setUp() {
            fx = new DkimFixtures();
            AuthMessage msg = AuthMessage.of(DkimFixtures.message(4096));
            String field = fx.signer.sign(msg, fx.rsa, SignOptions.DEFAULT);
            String blanked = DkimHasher.blankTag(field + "\r\n", "b");
            headerData = DkimHasher.headerData(msg, List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
                    "MIME-Version", "Content-Type", "From", "Subject", "To", "Date"), Canonicalization.RELAXED, blanked);
            rsaSignature = DkimHasher.sign(DkimAlgorithm.RSA_SHA256, fx.rsa.privateKey(), headerData);
            edSignature = DkimHasher.sign(DkimAlgorithm.ED25519_SHA256, fx.ed.privateKey(), headerData);
            if (!DkimHasher.verify(DkimAlgorithm.RSA_SHA256, fx.rsaPair.getPublic(), headerData, rsaSignature)
                    || !DkimHasher.verify(DkimAlgorithm.ED25519_SHA256, fx.edPair.getPublic(), headerData, edSignature)) {
                throw new IllegalStateException("raw signatures do not verify");
            }
        }
    }

    @Benchmark
    public Canonicalization.BodyHash bodyHashRelaxed(Body b) {
        return Canonicalization.RELAXED.bodyHash(b.msg.bytes(), b.msg.bodyOffset(), b.msg.bodyLength(), -1, "sha256");
    }

    @Benchmark
    public Canonicalization.BodyHash bodyHashSimple(Body b) {
        return Canonicalization.SIMPLE.bodyHash(b.msg.bytes(), b.msg.bodyOffset(), b.msg.bodyLength(), -1, "sha256");
    }

    @Benchmark
    public byte[] sha256Body(Body b) {
        b.sha256.update(b.bytes, b.msg.bodyOffset(), b.msg.bodyLength());
        return b.sha256.digest();
    }

    @Benchmark
    public AuthMessage parseMessage(Body b) {
        return AuthMessage.of(b.bytes);
    }

    @Benchmark
    public byte[] rawSignRsa2048(Keys k) {
        return DkimHasher.sign(DkimAlgorithm.RSA_SHA256, k.fx.rsa.privateKey(), k.headerData);
    }

    @Benchmark
    public byte[] rawSignEd25519(Keys k) {
        return DkimHasher.sign(DkimAlgorithm.ED25519_SHA256, k.fx.ed.privateKey(), k.headerData);
    }

    @Benchmark
    public boolean rawVerifyRsa2048(Keys k) {
        return DkimHasher.verify(DkimAlgorithm.RSA_SHA256, k.fx.rsaPair.getPublic(), k.headerData, k.rsaSignature);
    }

    @Benchmark
    public boolean rawVerifyEd25519(Keys k) {
        return DkimHasher.verify(DkimAlgorithm.ED25519_SHA256, k.fx.edPair.getPublic(), k.headerData, k.edSignature);
    }
}
