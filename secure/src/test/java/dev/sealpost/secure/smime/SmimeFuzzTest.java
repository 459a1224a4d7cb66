package dev.sealpost.secure.smime;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.security.cert.X509Certificate;
import java.util.List;

import static dev.sealpost.secure.smime.Fixtures.CLOCK;

/**
 * Fuzz targets for untrusted S/MIME input: whole messages (MIME structure, transfer decoding) and
 * raw CMS objects (Bouncy Castle's ASN.1 and CMS parsing behind our guards) through the verifier
 * and the decryptor. Invariants: nothing but a result value comes out (no exception, no stack
 * overflow); a Pass names a signer whose chain ends in one of our anchors; a Decrypted result only
 * ever comes from an algorithm we list. Limits are small so that they are reached.
 * Seeds: {@code src/test/resources/dev/sealpost/secure/smime/SmimeFuzzTestInputs/{verify,decrypt}/}
 * (the RFC 4134 examples, our own signed and encrypted messages, malformed ones).
 */
class SmimeFuzzTest {
    static final List<X509Certificate> ANCHORS = List.of(Rfc4134Test.ANCHORS.get(0), Rfc4134Test.ANCHORS.get(1), Identities.RSA_CA, Identities.ED25519_CA);
    static final SmimeLimits LIMITS = new SmimeLimits(1 << 20, 8, 4, 8, 8);
    static final SmimeVerifier VERIFIER = new SmimeVerifier(ANCHORS, List.of(), CLOCK, LIMITS);
    static final SmimeDecryptor DECRYPTOR = new SmimeDecryptor(Identities.BOB_ENC.key(), Identities.BOB_ENC.cert(), LIMITS);
    static final List<String> ALGORITHMS = List.of("AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "AES-128-CBC", "AES-192-CBC",
            "AES-256-CBC", "DES-EDE3-CBC", "RC2-CBC");

    @FuzzTest(maxDuration = "60s")
    void verify(byte[] data) {
        check(VERIFIER.verify(data));
        for (SmimeVerification v : VERIFIER.verifySignedData(data, null, null)) check(v);
        for (SmimeVerification v : VERIFIER.verifySignedData(data, "Content-Type: text/plain\r\n\r\nx".getBytes(), List.of("a@b.example"))) check(v);
    }

    @FuzzTest(maxDuration = "60s")
    void decrypt(byte[] data) {
        check(DECRYPTOR.decrypt(data));
        check(DECRYPTOR.decryptCms(data));
    }

    private static void check(SmimeVerification v) {
        if (v == null) throw new AssertionError("null result");
        if (v instanceof SmimeVerification.Pass p) {
            if (p.chain().isEmpty() || !p.chain().getFirst().equals(p.signer()) || !ANCHORS.contains(p.chain().getLast())) {
                throw new AssertionError("pass without a chain from the signer to an anchor: " + p.chain());
            }
        }
    }

    private static void check(SmimeDecryption d) {
        if (d == null) throw new AssertionError("null result");
        if (d instanceof SmimeDecryption.Decrypted ok && !ALGORITHMS.contains(ok.algorithm())) {
            throw new AssertionError("decrypted with an unlisted algorithm " + ok.algorithm());
        }
    }
}
