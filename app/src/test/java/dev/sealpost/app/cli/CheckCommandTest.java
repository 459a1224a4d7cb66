package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimSigner;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.dkim.SignOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost check ...} with a planted zone file: what a user sees. */
class CheckCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private InputStream oldIn;
    private Path zone;
    private static final long NOW = 1_790_000_000L;

    @BeforeEach
    void setUp() throws Exception {
        oldOut = System.out;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        zone = dir.resolve("zone.txt");
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setIn(oldIn);
    }

    private String run(String stdin, String... args) {
        out.reset();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        assertThat(Main.run(args)).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private void zone(String records) throws Exception {
        Files.writeString(zone, "$TTL 300\n" + records);
    }

    @Test
    void spfFirstLineIsTheResultTheMxActsOn() throws Exception {
        zone("""
                example.test.      IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
                mx.example.test.   IN TXT "v=spf1 ip4:192.0.2.25 -all"
                bad.example.test.  IN TXT "v=spf1 -all"
                """);
        String pass = run("", "check", "spf", "--zone", zone.toString(), "--ip", "192.0.2.25",
                "--helo", "mx.example.test", "--mail-from", "alice@example.test");
        assertThat(pass.lines().toList()).hasSize(3).first().isEqualTo("pass");
        assertThat(pass).contains("helo mx.example.test: pass").contains("mailfrom example.test: pass");

        assertThat(run("", "check", "spf", "--zone", zone.toString(), "--ip", "198.51.100.7",
                "--helo", "mx.example.test", "--mail-from", "alice@example.test").lines().findFirst()).contains("fail");
        // the HELO identity's fail decides even when MAIL FROM would pass
        assertThat(run("", "check", "spf", "--zone", zone.toString(), "--ip", "192.0.2.9",
                "--helo", "bad.example.test", "--mail-from", "alice@example.test").lines().findFirst()).contains("fail");
        // null sender: postmaster@HELO (RFC 7208 §2.4)
        String nullSender = run("", "check", "spf", "--zone", zone.toString(), "--ip", "192.0.2.25",
                "--helo", "mx.example.test", "--mail-from", "");
        assertThat(nullSender.lines().findFirst()).contains("pass");
        assertThat(run("", "check", "spf", "--zone", zone.toString(), "--ip", "192.0.2.25",
                "--helo", "nothing.test", "--mail-from", "a@nothing.test").lines().findFirst()).contains("none");
    }

    private String signed(String from, PrivateKey key, String domain) {
        String msg = "From: " + from + "\r\nTo: bob@example.org\r\nSubject: hello\r\nDate: Mon, 23 Nov 2026 06:00:00 +0000\r\n\r\nbody\r\n";
        DkimSigner signer = new DkimSigner(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        String sig = signer.sign(AuthMessage.of(msg.getBytes(StandardCharsets.UTF_8)),
                DkimSigningKey.of(domain, "sel", key), SignOptions.DEFAULT);
        return sig + "\r\n" + msg;
    }

    @Test
    void arcChainSealedByUsValidates() throws Exception {
        var rsa = DkimKeys.generateRsa(2048);
        StringBuilder txt = new StringBuilder();
        String record = DkimKeys.keyRecord(rsa.getPublic());
        for (int i = 0; i < record.length(); i += 255) txt.append('"').append(record, i, Math.min(record.length(), i + 255)).append("\" ");
        zone("arc._domainkey.forwarder.test. IN TXT " + txt + "\n");
        String msg = "From: alice@example.test\r\nTo: list@forwarder.test\r\nSubject: via a list\r\n\r\nhi\r\n";
        var sealer = new dev.sealpost.auth.arc.ArcSealer(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        var outcome = sealer.seal(AuthMessage.of(msg.getBytes(StandardCharsets.UTF_8)), "forwarder.test", "spf=pass smtp.mailfrom=example.test",
                dev.sealpost.auth.arc.ArcResult.NONE, DkimSigningKey.of("forwarder.test", "arc", rsa.getPrivate()),
                dev.sealpost.auth.arc.ArcSealOptions.DEFAULT);
        byte[] sealed = ((dev.sealpost.auth.arc.ArcSealer.Sealed) outcome).set().prependTo(msg.getBytes(StandardCharsets.UTF_8));
        String text = new String(sealed, StandardCharsets.UTF_8);
        assertThat(run(text, "check", "arc", "--zone", zone.toString(), "--time", Long.toString(NOW + 60))).startsWith("pass\n");
        assertThat(run(text.replace("hi\r\n", "ho\r\n"), "check", "arc", "--zone", zone.toString(), "--time", Long.toString(NOW + 60)))
                .startsWith("fail\n");
        assertThat(run(msg, "check", "arc", "--zone", zone.toString())).startsWith("none\n");
    }

    @Test
    void dkimAndMessageChecks() throws Exception {
        var ed = DkimKeys.generateEd25519();
        String record = DkimKeys.keyRecord(ed.getPublic());
        zone("""
                sel._domainkey.example.test. IN TXT "%s"
                example.test.       IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
                _dmarc.example.test. IN TXT "v=DMARC1; p=reject"
                """.formatted(record));
        String good = signed("Alice <alice@example.test>", ed.getPrivate(), "example.test");
        String dkim = run(good, "check", "dkim", "--zone", zone.toString(), "--time", Long.toString(NOW + 60));
        assertThat(dkim).startsWith("pass d=example.test s=sel");
        String tampered = good.replace("body\r\n", "b0dy\r\n");
        assertThat(run(tampered, "check", "dkim", "--zone", zone.toString(), "--time", Long.toString(NOW + 60))).startsWith("fail d=example.test");

        String ok = run(good, "check", "message", "--zone", zone.toString(), "--time", Long.toString(NOW + 60),
                "--ip", "198.51.100.7", "--helo", "relay.example.org", "--mail-from", "bounces@example.org",
                "--authserv-id", "mx.example.org");
        assertThat(ok).startsWith("Authentication-Results: mx.example.org;").contains("dkim=pass").contains("dmarc=pass")
                .contains("header.from=example.test").endsWith("dmarc disposition: accept\n");

        // a spoofed From with no aligned pass under p=reject
        String spoof = "From: ceo@example.test\r\nTo: bob@example.org\r\nSubject: wire money\r\n\r\nnow\r\n";
        String bad = run(spoof, "check", "message", "--zone", zone.toString(),
                "--ip", "198.51.100.7", "--helo", "evil.example.org", "--mail-from", "x@evil.example.org");
        assertThat(bad).contains("dmarc=fail").contains("spf=none").endsWith("dmarc disposition: reject\n");
    }
}
