package dev.sealpost.it;

import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A whole Sealpost server in this JVM on ephemeral loopback ports, with a temp data dir. */
final class TestServer implements AutoCloseable {
    static final String DOMAIN = "example.test";
    static final String USER = "alice@example.test";
    static final String PASSWORD = "correct horse battery staple";

    final Path dir;
    final Path cert;
    final SealpostServer server;

    TestServer(Path dir) throws IOException {
        this(dir, "");
    }

    TestServer(Path dir, String extraSmtpToml) throws IOException {
        this(dir, extraSmtpToml, "$TTL 300\n");
    }

    /**
     * @param zone the DNS the server sees (RFC 1035 master file text): tests never query real DNS
     */
    TestServer(Path dir, String extraSmtpToml, String zone) throws IOException {
        this(dir, extraSmtpToml, zone, "");
    }

    /** @param extraToml more tables appended to the config (e.g. an {@code [auth]} table) */
    TestServer(Path dir, String extraSmtpToml, String zone, String extraToml) throws IOException {
        this.dir = dir;
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("zone.txt"), zone);
        cert = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");
        if (!Files.exists(cert)) {
            TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost", "127.0.0.1", "mta-sts." + DOMAIN, "autoconfig." + DOMAIN),
                    List.of("127.0.0.1"));
        }
        String toml = """
                [server]
                hostname = "mx.example.test"
                data_dir = "data"
                postmaster = "alice@example.test"
                [tls]
                certificate = "tls/cert.pem"
                private_key = "tls/key.pem"
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = "127.0.0.1:0"
                submissions = "127.0.0.1:0"
                imap = "127.0.0.1:0"
                imaps = "127.0.0.1:0"
                pop3 = "127.0.0.1:0"
                pop3s = "127.0.0.1:0"
                http = "127.0.0.1:0"
                https = "127.0.0.1:0"
                [managesieve]
                listen = "127.0.0.1:0"
                [smtp]
                """ + extraSmtpToml + "\n" + extraToml;
        server = new SealpostServer(SealpostConfig.parse(toml, dir), Clock.systemUTC());
        server.start();
        var d = server.store().directory();
        if (!d.isLocalDomain(DOMAIN)) {
            d.addDomain(DOMAIN);
            d.addAccount(USER, PASSWORD.toCharArray());
            d.addAccount("bob@example.test", "bob password 123".toCharArray());
            d.addAlias("team@example.test", USER);
            d.addAlias("team@example.test", "bob@example.test");
        }
    }

    int imapPort(boolean tls) {
        return server.imapPort(tls);
    }

    int port(ListenerKind kind) {
        return server.port(kind);
    }

    Store store() {
        return server.store();
    }

    long accountId(String address) {
        return store().directory().account(address).orElseThrow().id();
    }

    List<Mailboxes.MessageInfo> inbox(String address) {
        return store().mailboxes().messages(accountId(address), "INBOX");
    }

    /** Sends a message (header and body, CRLF) to a local address through the MX port; asserts "250". */
    void deliverLocal(String rcpt, String content) throws IOException {
        try (SmtpClient c = new SmtpClient(port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            expect(c.cmd("MAIL FROM:<sender@elsewhere.test>"), "250");
            expect(c.cmd("RCPT TO:<" + rcpt + ">"), "250");
            expect(c.cmd("DATA"), "354");
            expect(c.cmd(content.replace("\r\n.", "\r\n..") + (content.endsWith("\r\n") ? "" : "\r\n") + "."), "250");
            c.cmd("QUIT");
        }
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) throw new IOException("expected " + code + ", got " + reply);
    }

    /** Waits until the account's INBOX has {@code n} messages (local delivery is asynchronous). */
    List<Mailboxes.MessageInfo> awaitInbox(String address, int n) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        List<Mailboxes.MessageInfo> m = inbox(address);
        while (m.size() < n && Instant.now().isBefore(end)) {
            Thread.sleep(20);
            m = inbox(address);
        }
        return m;
    }

    /** Waits until a message containing {@code marker} is in the account's INBOX and returns its content. */
    String awaitContent(String address, String marker) throws Exception {
        return awaitContent(address, "INBOX", marker);
    }

    /** Waits until a message containing {@code marker} is in the account's mailbox and returns its content. */
    String awaitContent(String address, String mailbox, String marker) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            for (Mailboxes.MessageInfo m : store().mailboxes().messages(accountId(address), mailbox)) {
                String c = content(m);
                if (c.contains(marker)) return c;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no message with '" + marker + "' reached " + address + " " + mailbox);
    }

    String content(Mailboxes.MessageInfo m) throws IOException {
        try (InputStream in = store().blobs().open(m.blobId())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
