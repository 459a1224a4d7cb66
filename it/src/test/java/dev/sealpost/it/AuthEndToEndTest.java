package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sender authentication at the MX end to end: a message signed by dkimpy, sent by swaks to our
 * MX with a planted zone, gets the expected Authentication-Results; a spoofed From under
 * p=reject is refused at DATA; forged results with our authserv-id are removed.
 */
class AuthEndToEndTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Path key;
    static String publicKey;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks");
        Peers.require("dknewkey");
        // a fresh RSA key made by dkimpy's own tool
        Peers.Result k = Peers.run(List.of("dknewkey", "--ktype", "rsa", dir.resolve("sel").toString()), dir, 60);
        assertThat(k.exit()).as(k.output()).isZero();
        key = dir.resolve("sel.key");
        String dns = Files.readString(dir.resolve("sel.dns")).trim();
        publicKey = dns.substring(dns.indexOf("v=DKIM1"));
        String zone = """
                $TTL 300
                example.org.                 IN TXT "v=spf1 ip4:127.0.0.1 -all"
                sel._domainkey.example.org.  IN TXT %s
                _dmarc.example.org.          IN TXT "v=DMARC1; p=reject"
                _dmarc.bank.test.            IN TXT "v=DMARC1; p=reject"
                _dmarc.shop.test.            IN TXT "v=DMARC1; p=quarantine"
                _dmarc.partner.test.         IN TXT "v=DMARC1; p=reject"
                """.formatted(quotedChunks(publicKey.replace("\"", "").replaceAll("\\s+", "")));
        server = new TestServer(dir, "", zone, "[auth]\ndmarc_overrides = [\"partner.test = quarantine\"]\n");
    }

    /** A TXT value as 255-octet character-strings (RFC 1035 §3.3.14). */
    private static String quotedChunks(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i += 255) b.append('"').append(v, i, Math.min(v.length(), i + 255)).append("\" ");
        return b.toString().trim();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Signs with dkimpy (Debian python3-dkim), as another MTA would. */
    private static Path dkimpySigned(String message) throws Exception {
        Path in = dir.resolve("in-" + System.nanoTime() + ".eml"), out = dir.resolve("out-" + System.nanoTime() + ".eml");
        Files.writeString(in, message);
        Peers.Result r = Peers.run(List.of("/usr/bin/python3", "-c", """
                import dkim, sys
                msg = open(sys.argv[1], 'rb').read()
                sig = dkim.sign(msg, b'sel', b'example.org', open(sys.argv[2], 'rb').read(),
                                include_headers=[b'from', b'to', b'subject', b'date'])
                open(sys.argv[3], 'wb').write(sig + msg)
                """, in.toString(), key.toString(), out.toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return out;
    }

    private static Peers.Result swaksMx(String from, Path data) throws Exception {
        return Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.MX),
                "--helo", "relay.example.org", "--from", from, "--to", "bob@example.test",
                "--data", "@" + data, "--timeout", "20"), dir, 60);
    }

    @Test
    void dkimpySignedMessageGetsPassingResults() throws Exception {
        Path signed = dkimpySigned("From: Alice <alice@example.org>\r\nTo: bob@example.test\r\nSubject: signed by dkimpy\r\n"
                + "Date: Mon, 23 Nov 2026 06:00:00 +0000\r\n"
                + "Authentication-Results: mx.example.test; dkim=pass header.d=forged.test\r\n"
                + "Authentication-Results: other.example; spf=fail\r\n"
                + "BIMI-Location: v=BIMI1; l=https://evil.example/fake-bank-logo.svg\r\n\r\nhello\r\n");
        Peers.Result r = swaksMx("bounces@example.org", signed);
        assertThat(r.exit()).as(r.output()).isZero();
        String m = server.awaitContent("bob@example.test", "Subject: signed by dkimpy");
        String ar = m.substring(m.indexOf("Authentication-Results: mx.example.test;"), m.indexOf("Received: from relay.example.org"));
        assertThat(ar).contains("spf=pass smtp.mailfrom=bounces@example.org").contains("dkim=pass header.d=example.org header.s=sel")
                .contains("dmarc=pass header.from=example.org").contains("iprev=");
        // the sender's forged result with our authserv-id is gone; a foreign one stays (RFC 8601 §5)
        assertThat(m).doesNotContain("forged.test").contains("Authentication-Results: other.example; spf=fail");
        // a sender's BIMI-Location would make clients show its logo: always removed (BIMI draft §8.8)
        assertThat(m).doesNotContain("BIMI-Location").doesNotContain("fake-bank-logo");
        assertThat(m.indexOf("Authentication-Results: mx.example.test;")).isLessThan(m.indexOf("Received: from relay.example.org"));
    }

    @Test
    void spoofedFromUnderPRejectIsRefusedAtData() throws Exception {
        Path spoof = dir.resolve("spoof.eml");
        Files.writeString(spoof, "From: security@bank.test\r\nTo: bob@example.test\r\nSubject: verify your account\r\n\r\nclick\r\n");
        Peers.Result r = swaksMx("x@evil.test", spoof);
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("550 5.7.1 Message rejected: DMARC policy of bank.test");
        assertThat(server.inbox("bob@example.test").stream().map(m -> {
            try {
                return server.content(m);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).noneMatch(c -> c.contains("verify your account"));
    }

    @Test
    void perDomainOverrideCapsTheDmarcAction() throws Exception {
        // [auth] dmarc_overrides = ["partner.test = quarantine"] (TestServer config): p=reject becomes Junk, not 550
        Path msg = dir.resolve("partner.eml");
        Files.writeString(msg, "From: news@partner.test\r\nTo: bob@example.test\r\nSubject: partner news\r\n\r\nhi\r\n");
        Peers.Result r = swaksMx("x@forwarder.test", msg);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.awaitContent("bob@example.test", "Junk", "Subject: partner news")).contains("dmarc=fail");
    }

    @Test
    void spoofedFromUnderPQuarantineLandsInJunk() throws Exception {
        Path spoof = dir.resolve("quarantine.eml");
        Files.writeString(spoof, "From: offers@shop.test\r\nTo: bob@example.test\r\nSubject: you won\r\n\r\nprize\r\n");
        Peers.Result r = swaksMx("x@evil.test", spoof);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.awaitContent("bob@example.test", "Junk", "Subject: you won")).contains("dmarc=fail");
        assertThat(server.inbox("bob@example.test").stream().map(m -> {
            try {
                return server.content(m);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).noneMatch(c -> c.contains("Subject: you won"));
    }

    @Test
    void tamperedSignatureFailsDkimAndDmarc() throws Exception {
        Path signed = dkimpySigned("From: alice@example.org\r\nTo: bob@example.test\r\nSubject: tampered\r\n\r\noriginal\r\n");
        Path tampered = dir.resolve("tampered.eml");
        Files.writeString(tampered, Files.readString(signed).replace("original", "changed!"));
        // SPF passes (127.0.0.1 is allowed) and aligns, so DMARC passes on SPF alone despite the DKIM failure
        Peers.Result r = swaksMx("bounces@example.org", tampered);
        assertThat(r.exit()).as(r.output()).isZero();
        String m = server.awaitContent("bob@example.test", "Subject: tampered");
        assertThat(m).contains("dkim=fail").contains("dmarc=pass");
    }
}
