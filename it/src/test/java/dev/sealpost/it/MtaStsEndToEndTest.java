package dev.sealpost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.smtp.server.SmtpServer;
import dev.sealpost.smtp.server.SmtpServerConfig;
import dev.sealpost.store.OutboundQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 11 end to end: the whole server delivers to {@code remote.test}, an MTA-STS {@code enforce}
 * domain whose policy host {@code mta-sts.remote.test} exists only in the configured resolver
 * ({@code [dns] zone_file}); the JVM's resolver cannot know it. The policy is served over HTTPS on
 * 127.0.0.1 ({@code queue.mta_sts_port}), the remote MX is an SMTP server on 127.0.0.1 with
 * STARTTLS ({@code queue.mx_port}); every certificate is trusted through {@code queue.tls_ca}, so
 * only the policy decides. Before the fix no policy was fetched, and the MX with a certificate
 * for another name got the mail over opportunistic TLS.
 */
class MtaStsEndToEndTest {
    static final String ZONE = """
            $TTL 300
            remote.test.             IN MX  10 mx.remote.test.
            mx.remote.test.          IN A   127.0.0.1
            _mta-sts.remote.test.    IN TXT "v=STSv1; id=20261207"
            mta-sts.remote.test.     IN A   127.0.0.1
            """;

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    /** The remote MX: STARTTLS with the given certificate; records what it receives. */
    static final class RemoteMx implements AutoCloseable {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger sessions = new AtomicInteger();
        final SmtpServer server;

        RemoteMx(javax.net.ssl.SSLContext tls) throws IOException {
            server = new SmtpServer(SmtpServerConfig.mx("mx.remote.test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls),
                    session -> {
                        sessions.incrementAndGet();
                        return new SmtpHandler() {
                            @Override
                            public void mailFrom(SessionInfo s, MailTransaction tx) { }

                            @Override
                            public void rcptTo(SessionInfo s, MailTransaction tx, MailTransaction.Recipient r) { }

                            @Override
                            public MessageSink beginMessage(SessionInfo s, MailTransaction tx) {
                                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                                return new MessageSink() {
                                    @Override public OutputStream stream() { return buf; }

                                    @Override
                                    public Reply commit(SessionInfo s2, MailTransaction t) {
                                        received.add((s2.tls() ? "tls " : "plain ") + buf.toString(StandardCharsets.UTF_8));
                                        return new Reply(250, "2.0.0", "Ok");
                                    }

                                    @Override public void abort() { }
                                };
                            }
                        };
                    });
            server.start();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A self-signed certificate for {@code name}, appended to the CA file the sender trusts. */
    javax.net.ssl.SSLContext certificate(String name, Path trusted) throws IOException {
        Path cert = dir.resolve(name + ".pem"), key = dir.resolve(name + ".key");
        TlsFiles.writeSelfSigned(cert, key, name, List.of(name), List.of());
        Files.writeString(trusted, Files.readString(cert), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return TlsFiles.serverContext(cert, key);
    }

    /**
     * Sends one message from the server's queue to bob@remote.test; returns the delivery once it has
     * been tried (null when it was delivered: the row is gone).
     */
    OutboundQueue.Delivery deliverWithMxCertificateFor(String mxName) throws Exception {
        Path trusted = dir.resolve("trusted-cas.pem");
        HttpsServer policy = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        policy.setHttpsConfigurator(new HttpsConfigurator(certificate("mta-sts.remote.test", trusted)));
        AtomicInteger policyFetches = new AtomicInteger();
        policy.createContext("/.well-known/mta-sts.txt", ex -> {
            policyFetches.incrementAndGet();
            byte[] body = "version: STSv1\r\nmode: enforce\r\nmx: mx.remote.test\r\nmax_age: 86400\r\n".getBytes(StandardCharsets.US_ASCII);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        policy.start();
        open.add(() -> policy.stop(0));
        RemoteMx mx = new RemoteMx(certificate(mxName, trusted));
        open.add(mx);
        TestServer server = new TestServer(dir.resolve("server"), "", ZONE, """
                [queue]
                mx_port = %d
                mta_sts_port = %d
                tls_ca = "%s"
                dane = false
                """.formatted(mx.server.port(), policy.getAddress().getPort(), trusted));
        open.add(server);
        server.store().directory().addAlias("fwd@example.test", "bob@remote.test");
        server.deliverLocal("fwd@example.test", "From: <sender@elsewhere.test>\r\nSubject: to an enforce domain\r\n\r\nhello\r\n");
        // a delivered recipient leaves the queue at once: the MX's copy, or a reply kept on the row, ends the wait
        await().atMost(Duration.ofSeconds(30)).until(() -> !mx.received.isEmpty()
                || (delivery(server) != null && delivery(server).lastReply() != null));
        assertThat(policyFetches.get()).as("the policy was fetched from mta-sts.remote.test").isEqualTo(1);
        this.mx = mx;
        this.server = server;
        return delivery(server);
    }

    RemoteMx mx;
    TestServer server;

    static OutboundQueue.Delivery delivery(TestServer server) {
        return server.store().outbound().list(10).stream().flatMap(e -> e.deliveries().stream())
                .filter(d -> d.address().equals("bob@remote.test")).findFirst().orElse(null);
    }

    @Test
    void anMxWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        OutboundQueue.Delivery d = deliverWithMxCertificateFor("wrong.test");
        // RFC 8461 §4.2: the MX certificate must be valid for the MX host name; §5: not delivered, deferred
        assertThat(mx.received).isEmpty();
        assertThat(d.state()).isEqualTo(OutboundQueue.State.PENDING);
        assertThat(d.lastReply()).startsWith("454 4.7.5");
    }

    @Test
    void anMxWithTheRightCertificateGetsTheMailOverTls() throws Exception {
        deliverWithMxCertificateFor("mx.remote.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> !mx.received.isEmpty());
        assertThat(mx.received).singleElement().satisfies(m -> assertThat(m).startsWith("tls ").contains("Subject: to an enforce domain"));
        // issue 17: the relay is in the evidence log with the next hop, its reply and the TLS it had
        var evidence = server.server.evidence().log();
        await().atMost(Duration.ofSeconds(10)).until(() -> relayRecords(evidence).size() == 1);
        var r = relayRecords(evidence).getFirst();
        assertThat(r.rcpt()).containsExactly("bob@remote.test");
        assertThat(r.extra()).containsEntry("next_hop", "mx.remote.test").containsEntry("next_hop_ip", "127.0.0.1")
                .containsEntry("tls_authenticated", true).containsKeys("tls_version", "tls_cipher", "peer_spki_sha256");
        assertThat((String) r.extra().get("reply")).startsWith("250");
        assertThat((String) r.extra().get("tls_version")).startsWith("TLSv1.");
    }

    static List<dev.sealpost.evidence.record.EvidenceRecord> relayRecords(dev.sealpost.evidence.log.EvidenceLog log) throws IOException {
        List<dev.sealpost.evidence.record.EvidenceRecord> out = new ArrayList<>();
        for (long i = 0; i < log.size(); i++) {
            var r = log.read(i).record();
            if (r.event() == dev.sealpost.evidence.record.EvidenceEvent.RELAY_ACCEPTANCE) out.add(r);
        }
        return out;
    }
}
