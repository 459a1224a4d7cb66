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

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Security;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DKIM signing and verification of whole messages, one thread, operations per second: what the
 * submission path ({@code DkimSigner.sign}) and the MX path ({@code DkimVerifier.verify}, key
 * record from memory) cost per message. The message is parsed ({@link AuthMessage}) once in
 * set-up, as the server parses it once for DKIM, ARC and DMARC together.
 *
 * <p>{@code provider=jdk} is the server as it is (the JDK's SunRsaSign, SunEC and SUN providers);
 * {@code provider=accp} installs the Amazon Corretto Crypto Provider (native AWS-LC) as the first
 * JCA provider after the keys are made, so the same unchanged DKIM code signs, verifies and hashes
 * through native code: what a native provider would give. The RSA private key is translated into
 * the provider's own key once (imported per signature it costs as much as the signature itself);
 * the Ed25519 key cannot be ({@code DkimSigningKey} wants an {@code EdECPrivateKey}, which the
 * provider's keys are not), so it is imported per signature.
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

    /** Which JCA provider comes first: {@code jdk} (as shipped) or {@code accp} (native). */
    @Param({"jdk", "accp"})
    public String provider;

    private DkimFixtures fx;
    private DkimSigningKey rsaKey;
    private AuthMessage unsigned;
    private AuthMessage signedRsa;
    private AuthMessage signedEd;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        fx = new DkimFixtures();
        rsaKey = fx.rsa;
        if (provider.equals("accp")) {
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 1);
            rsaKey = DkimSigningKey.of(DkimFixtures.DOMAIN, fx.rsa.selector(),
                    (PrivateKey) KeyFactory.getInstance("RSA", AmazonCorrettoCryptoProvider.INSTANCE).translateKey(fx.rsa.privateKey()));
        } else if (!provider.equals("jdk")) {
            throw new IllegalArgumentException("unknown provider " + provider);
        }
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
