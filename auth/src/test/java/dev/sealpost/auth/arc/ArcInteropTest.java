package dev.sealpost.auth.arc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential tests against dkimpy ({@code python3-dkim}, {@code dkim.arc_verify} and
 * {@code dkim.arc_sign} with a DNS function serving a records file, never the system resolver):
 * our seals validate with dkimpy, dkimpy's seals (and chains mixing both) validate with ours, and
 * our canonical output equals dkimpy's {@code standardize=True} output byte for byte on every
 * test of the signing suite and its unused tests. A missing dkimpy skips, unless
 * {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class ArcInteropTest {
    static final String BASE = """
            From: John Q Doe <jqd@d1.example.org>\r
            To: arc@dmarc.org\r
            Subject: Example 1\r
            Date: Thu, 14 Jan 2015 15:00:01 -0800\r
            Message-ID: <54B84785.1060301@d1.example.org>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            Hey gang,\r
            This is a test message.\r
            --J.\r
            """;

    @TempDir
    Path tmp;
    Path wrapper;
    Path suiteKeyFile;
    DkimSigningKey suiteKey;   // example.org, selector dummy (the suite's 1024-bit key)
    DkimSigningKey otherKey;   // example.net, selector s2048 (fresh 2048-bit key)
    ArcTestSupport.TxtResolver dns;
    Path records;

    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", command).isZero();
        return out;
    }

    @BeforeEach
    void setUp() throws IOException {
        Peers.require(available("/usr/bin/python3", "-c", "import dkim, authres"), "dkimpy with authres (python3-dkim)");
        wrapper = tmp.resolve("arc_dkimpy_wrapper.py");
        try (InputStream in = getClass().getResourceAsStream("arc_dkimpy_wrapper.py")) {
            Files.copy(in, wrapper);
        }
        JsonNode scenario = ArcTestSupport.scenarios("arc-draft-sign-tests.yml").getFirst();
        String pem = scenario.get("privatekey").asText();
        suiteKeyFile = Files.writeString(tmp.resolve("dummy.pem"), pem);
        suiteKey = DkimSigningKey.of("example.org", "dummy", DkimKeys.readPrivateKey(pem));
        KeyPair kp = DkimKeys.generateRsa(2048);
        otherKey = DkimSigningKey.of("example.net", "s2048", kp.getPrivate());
        String suiteRecord = scenario.get("txt-records").get("dummy._domainkey.example.org").asText().replace("\n", "");
        String otherRecord = DkimKeys.keyRecord(kp.getPublic());
        dns = new ArcTestSupport.TxtResolver().put("dummy._domainkey.example.org", suiteRecord).put("s2048._domainkey.example.net", otherRecord);
        records = Files.writeString(tmp.resolve("records.txt"),
                "dummy._domainkey.example.org " + suiteRecord + "\ns2048._domainkey.example.net " + otherRecord + "\n");
    }

    ArcVerifier verifier() {
        return new ArcVerifier(dns, Clock.systemUTC()); // dkimpy refuses t= in the future: real time on both sides
    }

    byte[] seal(byte[] message, DkimSigningKey key, String authservId, String results) {
        return seal(message, UnaryOperator.identity(), key, authservId, results);
    }

    /** One hop: validate the message as received, apply the hop's change, seal with the status found on arrival. */
    byte[] seal(byte[] received, UnaryOperator<String> change, DkimSigningKey key, String authservId, String results) {
        ArcResult cv = verifier().verify(AuthMessage.of(received)).cv();
        byte[] message = change.apply(new String(received, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ArcSealer.Outcome o = new ArcSealer(Clock.systemUTC()).seal(AuthMessage.of(message), authservId, results, cv, key, ArcSealOptions.DEFAULT);
        assertThat(o).as("%s", o).isInstanceOf(ArcSealer.Sealed.class);
        return ((ArcSealer.Sealed) o).set().prependTo(message);
    }

    List<String> dkimpyVerify(List<byte[]> messages) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", wrapper.toString(), "verify", records.toString()));
        for (int i = 0; i < messages.size(); i++) cmd.add(Files.write(tmp.resolve("m" + i + ".eml"), messages.get(i)).toString());
        return run(cmd).lines().toList();
    }

    static byte[] prepend(String header, byte[] message) {
        byte[] h = (header + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(h, h.length + message.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

    @Test
    void ourSealsValidateWithDkimpy() throws Exception {
        byte[] m1 = seal(BASE.getBytes(StandardCharsets.US_ASCII), suiteKey, "mx.example.org", "spf=pass smtp.mailfrom=jqd@d1.example.org; dkim=none");
        // hop 2 is a list that tags the subject after validating: AMS(1) breaks, the chain does not
        byte[] m2 = seal(m1, m -> m.replace("Subject: Example 1", "Subject: [list] Example 1"), otherKey, "lists.example.net",
                "arc=pass; spf=pass smtp.mailfrom=example.org");
        byte[] m3 = seal(m2, suiteKey, "mx2.example.org", "arc=pass");
        // a body change in transit after hop 3: the chain fails, hop 4 seals it as failed (RFC 8617 §5.1.2)
        byte[] broken = new String(m3, StandardCharsets.US_ASCII).replace("Hey gang,", "Hey all,").getBytes(StandardCharsets.US_ASCII);
        byte[] m4 = seal(broken, otherKey, "mx3.example.net", "arc=fail");

        assertThat(verifier().verify(AuthMessage.of(m1)).cv()).isEqualTo(ArcResult.PASS);
        ArcOutcome o3 = verifier().verify(AuthMessage.of(m3));
        assertThat(o3.cv()).isEqualTo(ArcResult.PASS);
        assertThat(o3.sealers()).containsExactly("example.org", "example.net", "example.org");
        assertThat(o3.oldestPass()).isEqualTo(2);
        assertThat(verifier().verify(AuthMessage.of(broken)).cv()).isEqualTo(ArcResult.FAIL);
        assertThat(verifier().verify(AuthMessage.of(m4)).cv()).isEqualTo(ArcResult.FAIL);

        List<String> dkimpy = dkimpyVerify(List.of(m1, m2, m3, broken, m4));
        assertThat(dkimpy).hasSize(5);
        assertThat(dkimpy.subList(0, 3)).allSatisfy(l -> assertThat(l).startsWith("pass "));
        assertThat(dkimpy.get(3)).startsWith("fail ");
        // dkimpy ends a chain whose newest seal says cv=fail with None ("terminated"); RFC 8617 §5.2 step 2 calls it fail
        assertThat(dkimpy.get(4)).startsWith("terminated ");
    }

    @Test
    void ourSealsValidateWithMailDkim() throws Exception {
        Peers.require(available("perl", "-MMail::DKIM::ARC::Verifier", "-e", "1"), "Mail::DKIM (libmail-dkim-perl)");
        byte[] m1 = seal(BASE.getBytes(StandardCharsets.US_ASCII), suiteKey, "mx.example.org", "spf=pass smtp.mailfrom=jqd@d1.example.org");
        byte[] m2 = seal(m1, m -> m.replace("Subject: Example 1", "Subject: [list] Example 1"), otherKey, "lists.example.net",
                "arc=pass; spf=pass smtp.mailfrom=example.org");
        byte[] broken = new String(m2, StandardCharsets.US_ASCII).replace("Hey gang,", "Hey all,").getBytes(StandardCharsets.US_ASCII);
        Path script = tmp.resolve("mail_dkim_arc_verify.pl");
        try (InputStream in = getClass().getResourceAsStream("mail_dkim_arc_verify.pl")) {
            Files.copy(in, script);
        }
        List<String> cmd = new ArrayList<>(List.of("perl", script.toString(), records.toString()));
        int i = 0;
        for (byte[] m : List.of(BASE.getBytes(StandardCharsets.US_ASCII), m1, m2, broken)) {
            cmd.add(Files.write(tmp.resolve("md" + i++ + ".eml"), m).toString());
        }
        // an independent implementation agrees with our verifier on every message
        assertThat(run(cmd).lines().toList()).containsExactly("none", "pass", "pass", "fail");
    }

    List<String> dkimpySign(byte[] message, String selector, String domain, Path key, String srvId, String headers,
                            String timestamp, boolean standardize) throws Exception {
        Path m = Files.write(tmp.resolve("sign.eml"), message);
        String out = run(List.of("/usr/bin/python3", wrapper.toString(), "sign", m.toString(), selector, domain, key.toString(),
                srvId, headers, timestamp, standardize ? "1" : "0"));
        return out.isEmpty() ? List.of() : List.of(out.split("\n--\n"));
    }

    @Test
    void dkimpySealsValidateWithOurs() throws Exception {
        byte[] m0 = prepend("Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=jqd@d1.example.org",
                BASE.getBytes(StandardCharsets.US_ASCII));
        byte[] m1 = m0;
        for (String f : dkimpySign(m0, "dummy", "example.org", suiteKeyFile, "lists.example.org", "from:to:subject:date", "now", false).reversed()) {
            m1 = prepend(f, m1);
        }
        ArcOutcome o1 = verifier().verify(AuthMessage.of(m1));
        assertThat(o1.cv()).as(o1.reason()).isEqualTo(ArcResult.PASS);
        assertThat(o1.authResults()).containsExactly("lists.example.org; spf=pass smtp.mailfrom=jqd@d1.example.org");
        // mixed chain: ours on dkimpy's, then dkimpy's on ours
        byte[] m2 = seal(m1, otherKey, "mx.example.net", "arc=pass");
        byte[] m2ar = prepend("Authentication-Results: relay.example.org; arc=pass", m2);
        byte[] m3 = m2ar;
        for (String f : dkimpySign(m2ar, "dummy", "example.org", suiteKeyFile, "relay.example.org", "from:to:subject", "now", false).reversed()) {
            m3 = prepend(f, m3);
        }
        ArcOutcome o3 = verifier().verify(AuthMessage.of(m3));
        assertThat(o3.cv()).as(o3.reason()).isEqualTo(ArcResult.PASS);
        assertThat(o3.instances()).isEqualTo(3);
        assertThat(dkimpyVerify(List.of(m3)).getFirst()).startsWith("pass ");
    }

    /** Our canonical output and dkimpy's standardize=True output are the same bytes (RSA PKCS#1 v1.5 is deterministic). */
    @Test
    void canonicalOutputEqualsDkimpyStandardize() throws Exception {
        int compared = 0;
        for (String file : List.of("arc-draft-sign-tests.yml", "unused_tests.yml")) {
            for (ArcSigningSuiteTest.Case c : ArcSigningSuiteTest.cases(file)) {
                JsonNode t = c.test();
                byte[] message = AuthMessage.toCrlf(t.get("message").asText().getBytes(StandardCharsets.UTF_8));
                List<String> theirs = dkimpySign(message, c.scenario().get("sel").asText(), c.scenario().get("domain").asText(),
                        suiteKeyFile, t.get("srv-id").asText(), t.get("sig-headers").asText().strip(), t.get("t").asText(), true);
                ArcSigningSuiteTest.Produced ours = ArcSigningSuiteTest.produce(c);
                if (theirs.isEmpty()) {
                    assertThat(ours.set()).as(c.name()).isEmpty();
                    compared++;
                    continue;
                }
                ArcSet set = ours.set().orElseThrow();
                assertThat(theirs).as(c.name()).hasSize(3);
                assertThat(set.seal()).as(c.name()).isEqualTo(theirs.get(0));
                assertThat(set.messageSignature()).as(c.name()).isEqualTo(theirs.get(1));
                // dkimpy folds its AAR one result per line
                assertThat(set.authenticationResults()).as(c.name()).isEqualTo(theirs.get(2).replace(";\r\n  ", "; "));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(24);
    }
}
