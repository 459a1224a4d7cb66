package dev.sealpost.app.cli;

import dev.sealpost.app.config.SealpostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code demo --hostname NAME --acme-directory URL --acme-trust-ca FILE}: the config the demo writes. */
class DemoAcmeTest {
    @TempDir
    Path dir;

    @Test
    void acmeOptionsReplaceTheSelfSignedCertificateWithAcme() throws Exception {
        Path ca = dir.resolve("root.pem");
        Files.writeString(ca, "not read by prepare\n");
        DemoCommand demo = new DemoCommand();
        demo.data = dir.resolve("demo-data");
        demo.password = "a demo password 42";
        demo.hostname = "mail.sealpost.test";
        demo.acmeDirectory = "https://127.0.0.1:14000/dir";
        demo.acmeTrustCa = ca;
        DemoCommand.Prepared p = demo.prepare();
        SealpostConfig c = p.config();
        assertThat(c.server().hostname()).isEqualTo("mail.sealpost.test");
        assertThat(c.acme().enabled()).isTrue();
        assertThat(c.acme().directory()).isEqualTo("https://127.0.0.1:14000/dir");
        assertThat(c.acme().trustCa()).isEqualTo(ca.toAbsolutePath());
        assertThat(c.tls().certificate()).isEqualTo(p.dir().resolve("acme/cert.pem"));
        assertThat(p.certificate()).isEqualTo(p.dir().resolve("acme/cert.pem"));
        // the written config runs with serve --config as well
        assertThat(SealpostConfig.load(p.dir().resolve("sealpost.toml")).acme()).isEqualTo(c.acme());
    }

    @Test
    void withoutAcmeTheDemoKeepsItsSelfSignedCertificateForTheHostname() throws Exception {
        DemoCommand demo = new DemoCommand();
        demo.data = dir.resolve("demo-data");
        demo.password = "a demo password 42";
        DemoCommand.Prepared p = demo.prepare();
        assertThat(p.config().acme().enabled()).isFalse();
        assertThat(p.config().server().hostname()).isEqualTo("localhost");
        assertThat(p.config().tls().certificate()).isEqualTo(p.dir().resolve("tls/cert.pem"));
        DemoCommand lone = new DemoCommand();
        lone.data = dir.resolve("other");
        lone.acmeTrustCa = dir.resolve("x.pem");
        assertThatThrownBy(lone::prepare).hasMessageContaining("--acme-trust-ca needs --acme-directory");
    }

    @Test
    void dnsRecordsAnnounceTheNextAcmeKeyBesideTheCurrentOne() throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        dev.sealpost.app.tls.TlsFiles.writeSelfSigned(cert, key, "mail.sealpost.test", java.util.List.of("mail.sealpost.test"), java.util.List.of());
        String next = "ab".repeat(32);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        DnsCommand.print(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8), "sealpost.test", "mail.sealpost.test",
                java.util.List.of(), java.util.List.of(), cert, DnsCommand.defaultPolicy("mail.sealpost.test"), next, java.time.Clock.systemUTC());
        String out = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out).contains("_25._tcp.mail.sealpost.test. IN TLSA 3 1 1 " + DnsCommand.spkiSha256(cert))
                .contains("_25._tcp.mail.sealpost.test. IN TLSA 3 1 1 " + next);
    }
}
