package dev.sealpost.secure.openpgp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Fuzz targets for untrusted OpenPGP input: the Autocrypt header parser, and whole OpenPGP messages
 * through the decryptor, the inline/cleartext verifier and the PGP/MIME reader. Invariants: nothing
 * but a result value comes out; a Valid Autocrypt header re-generates into one that parses to the
 * same values; a Good verification names a key of the certificate we gave.
 * Seeds: {@code src/test/resources/dev/sealpost/secure/openpgp/OpenPgpFuzzTestInputs/{autocrypt,message}/}.
 */
class OpenPgpFuzzTest {
    static final OpenPGPKey KEY;

    static {
        try {
            KEY = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of("<fuzz@example.test>"), OpenPgpRoundTripTest.CLOCK);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void autocrypt(byte[] data) {
        AutocryptHeader.Parsed p = AutocryptHeader.parse(new String(data, StandardCharsets.UTF_8));
        if (p == null) throw new AssertionError("null result");
        if (p instanceof AutocryptHeader.Parsed.Valid v) {
            AutocryptHeader h = v.header();
            if (h.keydata().length > AutocryptHeader.MAX_KEYDATA_BYTES) throw new AssertionError("keydata past the bound");
            AutocryptHeader.Parsed again = AutocryptHeader.parse(h.value());
            if (!(again instanceof AutocryptHeader.Parsed.Valid v2) || !v2.header().addr().equals(h.addr())
                    || v2.header().preferEncrypt() != h.preferEncrypt()
                    || !Base64.getEncoder().encodeToString(v2.header().keydata()).equals(Base64.getEncoder().encodeToString(h.keydata()))) {
                throw new AssertionError("generated header does not parse back: " + h.value());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void message(byte[] data) {
        String fp = OpenPgpKeys.fingerprint(KEY);
        OpenPgpDecryption d = new OpenPgpDecryptor(1 << 20).decrypt(List.of(KEY), List.of(KEY.toCertificate()), data);
        if (d == null) throw new AssertionError("null result");
        if (d instanceof OpenPgpDecryption.Decrypted ok) ok.good().forEach(g -> check(g, fp));
        OpenPgpVerifier.Inline in = new OpenPgpVerifier(1 << 20).verifyInline(List.of(KEY.toCertificate()), data);
        in.verifications().forEach(v -> {
            if (v instanceof OpenPgpVerification.Good g) check(g, fp);
        });
        if (new PgpMime(OpenPgpRoundTripTest.CLOCK).open(data, List.of(KEY), List.of(KEY.toCertificate())) == null) {
            throw new AssertionError("null result");
        }
    }

    private static void check(OpenPgpVerification.Good g, String fp) {
        if (!g.primaryFingerprint().equals(fp)) throw new AssertionError("good signature from a certificate we did not give: " + g);
    }
}
