package dev.sealpost.bench.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimSigningKey;
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


import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DKIM signing and verification of whole messages, one thread, operations per second: what the
 * submission path ({@code DkimSigner.sign}) and the MX path ({@code DkimVerifier.verify}, key
 * record from memory) cost per message. The message is parsed ({@link AuthMessage}) once in
 * set-up, as the server parses it once for DKIM, ARC and DMARC together.
 *
 * <p>{@code provider=shipped} is the server as it is (ADR 0003: RSA signatures on the native
 * Amazon Corretto Crypto Provider when it loads, Ed25519 on Bouncy Castle's lightweight API);
 * {@code provider=jdk} sets {@code sealpost.crypto.jdkOnly}: RSA goes through the JDK's SunRsaSign,
 * as on platforms without the native library (Ed25519 stays on Bouncy Castle, which is pure Java).
 * Defaults here are overridden by {@code bench/run-dkim.sh}'s command line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@State(Scope.Thread)
public class DkimBenchmark {
    /** Whole message size in bytes (header and body). */
    @Param({"4096", "102400"})
    public int size;

    /** {@code shipped} (ADR 0003 fast paths) or {@code jdk} (JDK providers only). */
    @Param({"shipped", "jdk"})
    public String provider;

    private DkimFixtures fx;
    private DkimSigningKey rsaKey;
    private AuthMessage unsigned;
    private AuthMessage signedRsa;
    private AuthMessage signedEd;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        // before anything signs: DkimCrypto reads it once (each parameter set runs in its own fork)
        if (provider.equals("jdk")) System.setProperty("sealpost.crypto.jdkOnly", "true");
        else if (!provider.equals("shipped")) throw new IllegalArgumentException("unknown provider " + provider);
        fx = new DkimFixtures();
        rsaKey = fx.rsa;
        unsigned = AuthMessage.of(DkimFixtures.message(size));
        signedRsa = fx.signedAndChecked(unsigned, rsaKey);
        signedEd = fx.signedAndChecked(unsigned, fx.ed);
    }

    @Benchmark
    public String signRsa2048() {
        return sign(rsaKey);
    }

    @Benchmark
    public String signEd25519() {
        return sign(fx.ed);
    }

    @Benchmark
    public List<DkimResult> verifyRsa2048() {
        return fx.verifier.verify(signedRsa);
    }

    @Benchmark
    public List<DkimResult> verifyEd25519() {
        return fx.verifier.verify(signedEd);
    }

    private String sign(DkimSigningKey key) {
        return fx.signer.sign(unsigned, key, SignOptions.DEFAULT);
    }
}
