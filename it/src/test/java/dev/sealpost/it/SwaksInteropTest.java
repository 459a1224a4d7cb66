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

/** swaks, a real SMTP client, against every listener (PEERS.md). */
class SwaksInteropTest {
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

    private static Peers.Result swaks(String... args) throws Exception {
        Peers.require("swaks");
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--timeout", "20"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    @Test
    void submissionStarttlsAuthPlainDeliversToMailbox() throws Exception {
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", TestServer.USER, "--to", "bob@example.test",
                "--header", "Subject: swaks submission test", "--body", "hello over STARTTLS");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("250-STARTTLS").contains("235 2.7.0").contains("250 2.0.0 Ok: queued as");
        String msg = server.awaitContent("bob@example.test", "Subject: swaks submission test");
        assertThat(msg).startsWith("Return-Path: <" + TestServer.USER + ">\r\nReceived: from ")
                .contains("with ESMTPSA").contains("Subject: swaks submission test").contains("hello over STARTTLS");
    }

    @Test
    void submissionsImplicitTlsAuthLogin() throws Exception {
        int before = server.inbox(TestServer.USER).size();
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSIONS), "--tls-on-connect",
                "--auth", "LOGIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", TestServer.USER, "--to", TestServer.USER, "--header", "Subject: implicit tls");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.awaitInbox(TestServer.USER, before + 1)).hasSize(before + 1);
    }

    @Test
    void mxPipeliningToAliasReachesEveryMember() throws Exception {
        int a = server.inbox(TestServer.USER).size(), b = server.inbox("bob@example.test").size();
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.MX), "--pipeline",
                "--from", "someone@elsewhere.test", "--to", "team@example.test", "--header", "Subject: to the team");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("250-PIPELINING");
        assertThat(server.awaitInbox(TestServer.USER, a + 1)).hasSize(a + 1);
        assertThat(server.awaitInbox("bob@example.test", b + 1)).hasSize(b + 1);
    }

    @Test
    void mxRefusesRelayAndUnknownUsers() throws Exception {
        Peers.Result relay = swaks("--port", "" + server.port(ListenerKind.MX), "--quit-after", "RCPT",
                "--from", "someone@elsewhere.test", "--to", "victim@elsewhere.test");
        assertThat(relay.exit()).isNotZero();
        assertThat(relay.output()).contains("550 5.7.1");
        Peers.Result unknown = swaks("--port", "" + server.port(ListenerKind.MX), "--quit-after", "RCPT",
                "--from", "someone@elsewhere.test", "--to", "nobody@example.test");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.output()).contains("550 5.1.1");
    }

    @Test
    void submissionRejectsWrongPasswordAndForeignSender() throws Exception {
        Peers.Result bad = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", "wrong",
                "--from", TestServer.USER, "--to", "bob@example.test");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("535 5.7.8");
        Peers.Result spoof = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", "bob@example.test", "--to", "bob@example.test");
        assertThat(spoof.exit()).isNotZero();
        assertThat(spoof.output()).contains("553 5.7.1");
    }
}
