package dev.sealpost.auth.dkim;

import static dev.sealpost.auth.dkim.DkimTestSupport.CLOCK;
import static dev.sealpost.auth.dkim.DkimTestSupport.DKIMPY;
import static dev.sealpost.auth.dkim.DkimTestSupport.message;
import static dev.sealpost.auth.dkim.DkimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimResult.Status;
import dev.sealpost.auth.dkim.DkimTestSupport.MapResolver;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Differential tests against real peers: our signatures verify with dkimpy ({@code python3-dkim})
 * and Mail::DKIM ({@code libmail-dkim-perl}, RSA only: its Debian 12 version has no Ed25519), and
 * dkimpy's signatures verify with ours. DNS answers come from a records file through each peer's
 * DNS hook, never from the system resolver. A missing peer skips, unless
 * {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class DkimInteropTest {
    record KeyCase(String keyFile, String recordFile, String selector, String algorithm) {}

    static final List<KeyCase> KEYS = List.of(
            new KeyCase("test.private", "test.txt", "rsa1024", "rsa-sha256"),
            new KeyCase("2048_testkey.key", "2048_testkey_wo_markers.pub.txt", "rsa2048", "rsa-sha256"),
            new KeyCase("2048_testkey_PKCS8.key", "2048_testkey_PKCS8.key.pub.txt", "pkcs8", "rsa-sha256"),
            new KeyCase("ed25519test.key", "ed25519test.dns", "ed", "ed25519-sha256"),
            new KeyCase("rfc8032_7_1.key", null, "brisbane", "ed25519-sha256"));

    @TempDir
    Path tmp;

    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    Path resource(String name) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", command).isZero();
        return out;
    }

    String record(KeyCase k) {
        return k.recordFile() == null
                ? MapResolver.fromRecordsFile().txt("brisbane._domainkey.football.example.com").records().getFirst()
                : text(k.recordFile());
    }

    Path recordsFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (KeyCase k : KEYS) sb.append(k.selector()).append("._domainkey.example.com ").append(record(k)).append('\n');
        return Files.writeString(tmp.resolve("records.txt"), sb.toString());
    }

    MapResolver resolver() {
        MapResolver r = new MapResolver();
        for (KeyCase k : KEYS) r.put(k.selector() + "._domainkey.example.com", record(k));
        return r;
    }

    /** Signs test.message and rfc6376.msg with every key and canonicalisation; returns the files. */
    List<Path> signOurs(List<KeyCase> keys) throws IOException {
        List<Path> files = new ArrayList<>();
        for (KeyCase k : keys) {
            DkimSigningKey sk = DkimSigningKey.of("example.com", k.selector(), DkimKeys.readPrivateKey(text(k.keyFile())));
            for (String msgFile : List.of("test.message", "rfc6376.msg")) {
                for (Canonicalization hc : Canonicalization.values()) {
                    for (Canonicalization bc : Canonicalization.values()) {
                        AuthMessage msg = message(msgFile);
                        String field = new DkimSigner(CLOCK).sign(msg, sk, SignOptions.DEFAULT.withCanonicalization(hc, bc));
                        Path p = tmp.resolve(k.selector() + "-" + msgFile + "-" + hc + "-" + bc + ".eml");
                        Files.write(p, DkimSigner.prepend(field, msg.bytes()));
                        files.add(p);
                    }
                }
            }
        }
        return files;
    }

    @Test
    void ourSignaturesVerifyWithDkimpy() throws Exception {
        Peers.require(available("/usr/bin/python3", "-c", "import dkim"), "dkimpy (python3-dkim)");
        List<Path> files = signOurs(KEYS);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", resource("dkimpy_wrapper.py").toString(), "verify",
                recordsFile().toString()));
        files.forEach(f -> cmd.add(f.toString()));
        List<String> lines = run(cmd).lines().toList();
        assertThat(lines).hasSize(40).containsOnly("pass");
        // and the same files with ours, for symmetry
        for (Path f : files) {
            assertThat(new DkimVerifier(resolver(), CLOCK, DkimPolicy.DEFAULT).verify(AuthMessage.of(Files.readAllBytes(f))))
                    .singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
        }
    }

    @Test
    void dkimpySignaturesVerifyWithOurs() throws Exception {
        Peers.require(available("/usr/bin/python3", "-c", "import dkim"), "dkimpy (python3-dkim)");
        Path wrapper = resource("dkimpy_wrapper.py");
        DkimVerifier verifier = new DkimVerifier(resolver(), Clock.systemUTC(), DkimPolicy.DEFAULT); // dkimpy stamps t= now
        int passes = 0;
        for (KeyCase k : KEYS) {
            for (String hc : List.of("simple", "relaxed")) {
                for (String bc : List.of("simple", "relaxed")) {
                    byte[] msg = AuthMessage.toCrlf(DkimTestSupport.bytes("test.message"));
                    Path m = Files.write(tmp.resolve("in.eml"), msg);
                    String field = run(List.of("/usr/bin/python3", wrapper.toString(), "sign", m.toString(), k.selector(), "example.com",
                            DKIMPY.resolve(k.keyFile()).toString(), k.algorithm(), hc, bc));
                    assertThat(field).startsWith("DKIM-Signature:");
                    List<DkimResult> r = verifier.verify(AuthMessage.of(DkimSigner.prepend(field, msg)));
                    assertThat(r).as("%s %s/%s", k.keyFile(), hc, bc).singleElement().satisfies(res -> {
                        assertThat(res.status()).as(res.reason()).isEqualTo(Status.PASS);
                        assertThat(res.algorithm()).isEqualTo(k.algorithm());
                    });
                    passes++;
                }
            }
        }
        assertThat(passes).isEqualTo(20);
    }

    @Test
    void ourRsaSignaturesVerifyWithMailDkim() throws Exception {
        Peers.require(available("perl", "-MMail::DKIM::Verifier", "-e", "1"), "Mail::DKIM (libmail-dkim-perl)");
        List<Path> files = signOurs(KEYS.stream().filter(k -> k.algorithm().startsWith("rsa")).toList());
        List<String> cmd = new ArrayList<>(List.of("perl", resource("mail_dkim_verify.pl").toString(), recordsFile().toString()));
        files.forEach(f -> cmd.add(f.toString()));
        assertThat(run(cmd).lines().toList()).hasSize(24).containsOnly("pass");
    }
}
