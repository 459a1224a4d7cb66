package dev.sealpost.secure.smime;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.sealpost.secure.smime.Identities.ALICE_SIG;
import static dev.sealpost.secure.smime.Identities.RSA_CA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gpgsm --verify} (GnuPG's S/MIME tool) accepts the parts of a {@code multipart/signed}
 * message we make, and refuses a tampered copy. Its own home directory, the RFC 9216 RSA CA in its
 * trust list, CRL checks off (there are none for the samples). Skips without gpgsm unless
 * {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class GpgsmInteropTest {
    @TempDir
    Path home;

    @AfterEach
    void stopAgents() throws Exception {
        // only the agents of this test's own home directory, if gpgsm started any
        try {
            Peers.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), home, 30);
        } catch (java.io.IOException e) {
            // no gpgconf (and so no gpgsm): nothing was started
        }
    }

    @Test
    void gpgsmVerifiesWhatWeSign() throws Exception {
        Peers.require("gpgsm");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-trusted-cert-crl-check\n");
        Files.writeString(home.resolve("ca.pem"), Fixtures.pem(RSA_CA));
        Files.writeString(home.resolve("alice.pem"), Fixtures.pem(ALICE_SIG.cert()));
        Files.writeString(home.resolve("trustlist.txt"), fingerprint(RSA_CA) + " S relax\n");
        Peers.Result imported = gpgsm("--import", "ca.pem", "alice.pem");
        assertThat(imported.exit()).as(imported.output()).isZero();

        byte[] signed = new SmimeSigner(ALICE_SIG.key(), List.of(ALICE_SIG.cert()), SmimeSigner.RsaScheme.PKCS1_V1_5, Clock.systemUTC(),
                new SecureRandom()).sign(OpensslInteropTest.MESSAGE.getBytes(StandardCharsets.US_ASCII));
        Part root = MessageStructure.parse(signed).root();
        Part content = root.children().get(0);
        Part signature = root.children().get(1);
        Files.write(home.resolve("content"), Arrays.copyOfRange(signed, (int) content.headerStart(), (int) content.end()));
        Files.write(home.resolve("smime.p7s"), Base64.getMimeDecoder().decode(Arrays.copyOfRange(signed, (int) signature.bodyStart(), (int) signature.end())));
        Peers.Result good = gpgsm("--status-fd", "1", "--verify", "smime.p7s", "content");
        assertThat(good.exit()).as(good.output()).isZero();
        assertThat(good.output()).contains("[GNUPG:] GOODSIG", "[GNUPG:] VALIDSIG");

        byte[] bad = Files.readAllBytes(home.resolve("content"));
        bad[bad.length - 3] ^= 0x01;
        Files.write(home.resolve("content"), bad);
        Peers.Result tampered = gpgsm("--status-fd", "1", "--verify", "smime.p7s", "content");
        assertThat(tampered.exit()).as(tampered.output()).isNotZero();
        assertThat(tampered.output()).contains("[GNUPG:] BADSIG").doesNotContain("GOODSIG");
    }

    private Peers.Result gpgsm(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("gpgsm", "--homedir", home.toString(), "--batch"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, home, 60);
    }

    static String fingerprint(X509Certificate c) throws Exception {
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(c.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha1);
    }
}
