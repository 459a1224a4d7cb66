package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** openssl s_client against STARTTLS (MX, submission) and implicit TLS: TLS 1.2+ only, certificate verifies. */
class OpenSslInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Peers.Result sClient(ListenerKind kind, String... extra) throws Exception {
        Peers.require("openssl");
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(kind),
                "-CAfile", server.cert.toString(), "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief"));
        if (kind != ListenerKind.SUBMISSIONS) cmd.addAll(List.of("-starttls", "smtp"));
        cmd.addAll(List.of(extra));
        return Peers.run(List.of("sh", "-c", String.join(" ", cmd.stream().map(a -> "'" + a + "'").toList()) + " </dev/null"), dir, 30);
    }

    @Test
    void starttlsOnMxAndSubmissionNegotiatesTls13WithAVerifiedCertificate() throws Exception {
        for (ListenerKind k : List.of(ListenerKind.MX, ListenerKind.SUBMISSION, ListenerKind.SUBMISSIONS)) {
            Peers.Result r = sClient(k);
            assertThat(r.exit()).as(k + ": " + r.output()).isZero();
            assertThat(r.output()).as(k.toString()).contains("Protocol version: TLSv1.3").contains("Verification: OK");
        }
    }

    @Test
    void tls12IsAcceptedAndOlderVersionsAreRefused() throws Exception {
        Peers.Result v12 = sClient(ListenerKind.SUBMISSION, "-tls1_2");
        assertThat(v12.exit()).as(v12.output()).isZero();
        assertThat(v12.output()).contains("Protocol version: TLSv1.2");
        for (String old : List.of("-tls1_1", "-tls1")) {
            // SECLEVEL=0 makes the client really offer the old version, so the refusal is the server's:
            // it answers with the protocol_version alert (RFC 8446 §6.2, alert 70)
            Peers.Result r = sClient(ListenerKind.SUBMISSIONS, old, "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(r.exit()).as(old + ": " + r.output()).isNotZero();
            assertThat(r.output()).as(old).contains("alert protocol version");
        }
    }

    /** SHA-256 of the server certificate's SubjectPublicKeyInfo: a DANE-EE(3) SPKI(1) SHA-256(1) TLSA record's data. */
    private static String spkiSha256() throws Exception {
        java.security.cert.X509Certificate c;
        try (var in = java.nio.file.Files.newInputStream(server.cert)) {
            c = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
    }

    private static Peers.Result dane(String starttls, int port, String rrdata) throws Exception {
        Peers.require("openssl");
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief",
                "-verify_return_error", "-dane_tlsa_domain", "mx.example.test", "-dane_tlsa_rrdata", rrdata, "-dane_ee_no_namechecks"));
        if (starttls != null) cmd.addAll(List.of("-starttls", starttls));
        return Peers.run(List.of("sh", "-c", String.join(" ", cmd.stream().map(a -> "'" + a + "'").toList()) + " </dev/null"), dir, 30);
    }

    @Test
    void daneTlsaRecordsOfOurCertificateVerifyOnEveryListener() throws Exception {
        // RFC 7672 §3.1: what a DANE-validating sender checks; the record is what `sealpost dns records` prints (_25._tcp TLSA 3 1 1)
        String good = "3 1 1 " + spkiSha256();
        String bad = "3 1 1 " + "00".repeat(32);
        record Listener(String name, String starttls, int port) {}
        for (Listener l : List.of(new Listener("MX", "smtp", server.port(ListenerKind.MX)),
                new Listener("submissions", null, server.port(ListenerKind.SUBMISSIONS)),
                new Listener("IMAP", "imap", server.server.imapPort(false)),
                new Listener("IMAPS", null, server.server.imapPort(true)),
                new Listener("POP3", "pop3", server.server.pop3Port(false)))) {
            Peers.Result ok = dane(l.starttls(), l.port(), good);
            assertThat(ok.exit()).as(l.name() + ": " + ok.output()).isZero();
            assertThat(ok.output()).as(l.name()).contains("Verification: OK").contains("DANE TLSA 3 1 1");
            Peers.Result no = dane(l.starttls(), l.port(), bad);
            assertThat(no.exit()).as(l.name() + " with a wrong TLSA record: " + no.output()).isNotZero();
        }
    }
}
