package dev.sealpost.it;

import dev.sealpost.app.Main;
import dev.sealpost.evidence.json.JsonParser;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.sign.Ed25519PublicKey;
import dev.sealpost.evidence.tiles.Tiles;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 end to end: swaks submits with {@code Sealpost-Receipt: yes}; the record is durable
 * before the "250", the receipt lands in the sender's Receipts mailbox and verifies offline with
 * only the log key (and fails when one bit of the message changes); curl fetches the checkpoint
 * and keys over HTTPS and the checkpoint verifies (ours, and an independent Python checker).
 */
class EvidenceEndToEndTest {
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

    private static Peers.Result curl(String path) throws Exception {
        Peers.require("curl");
        return Peers.run(List.of("curl", "-sS", "--fail", "--max-time", "20", "--cacert", server.cert.toString(),
                "https://127.0.0.1:" + server.server.httpPort(true) + path), dir, 60);
    }

    private static int cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(old);
        }
    }

    private static byte[] awaitMessage(String account, String mailbox, String marker) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            long id = server.accountId(account);
            if (server.store().mailboxes().mailbox(id, mailbox).isPresent()) {
                for (Mailboxes.MessageInfo m : server.store().mailboxes().messages(id, mailbox)) {
                    byte[] b;
                    try (InputStream in = server.store().blobs().open(m.blobId())) {
                        b = in.readAllBytes();
                    }
                    if (new String(b, StandardCharsets.UTF_8).contains(marker)) return b;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no message with '" + marker + "' in " + account + " " + mailbox);
    }

    /** The base64 application/json part of the receipt message. */
    private static String receiptJson(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int at = text.indexOf("Content-Type: application/json");
        assertThat(at).as(text).isPositive();
        int body = text.indexOf("\r\n\r\n", at);
        int end = text.indexOf("\r\n--", body);
        return new String(Base64.getMimeDecoder().decode(text.substring(body + 4, end)), StandardCharsets.UTF_8);
    }

    @Test
    void submissionReceiptVerifiesOfflineAndCheckpointIsPublished() throws Exception {
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", TestServer.USER, "--to", "bob@example.test",
                "--header", "Subject: evidence end to end", "--header", "Message-Id: <evidence-e2e-1@example.test>",
                "--header", "Sealpost-Receipt: yes", "--body", "a message with proof of submission");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("250 2.0.0 Ok: queued as");

        // the request header is not stored nor passed on
        byte[] delivered = awaitMessage("bob@example.test", "INBOX", "Subject: evidence end to end");
        assertThat(new String(delivered, StandardCharsets.UTF_8)).doesNotContainIgnoringCase("Sealpost-Receipt");

        // exactly one SubmissionAcceptance record for the message, over the exact bytes stored, and its delivery
        // the record is durable in the store's journal at the "250" and reaches the log just after (docs/evidence.md)
        assertThat(server.server.evidence().awaitJournal(java.time.Duration.ofSeconds(10))).isTrue();
        EvidenceLog log = server.server.evidence().log();
        List<EvidenceLog.Stored> all = log.findByMessageId("<evidence-e2e-1@example.test>");
        List<EvidenceLog.Stored> records = all.stream().filter(x -> x.record().event() == EvidenceEvent.SUBMISSION_ACCEPTANCE).toList();
        assertThat(records).hasSize(1);
        List<EvidenceLog.Stored> consigned = all.stream().filter(x -> x.record().event() == EvidenceEvent.CONTENT_CONSIGNMENT).toList();
        assertThat(consigned).hasSize(1);
        assertThat(consigned.getFirst().record().rcpt()).containsExactly("bob@example.test");
        assertThat(consigned.getFirst().record().sha256()).isEqualTo(records.getFirst().record().sha256());
        var rec = records.getFirst().record();
        assertThat(rec.event()).isEqualTo(EvidenceEvent.SUBMISSION_ACCEPTANCE);
        assertThat(rec.account()).isEqualTo(TestServer.USER);
        assertThat(rec.clientIp()).isEqualTo("127.0.0.1");
        assertThat(rec.mailFrom()).isEqualTo(TestServer.USER);
        assertThat(rec.rcpt()).containsExactly("bob@example.test");
        assertThat(rec.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(delivered)));
        assertThat(log.stampsEachRecord()).isFalse();   // the default: tree-head time stamps, none per record
        assertThat(log.timestampToken(records.getFirst().index())).isEmpty();

        // the receipt in the sender's Receipts mailbox
        byte[] receiptMessage = awaitMessage(TestServer.USER, "Receipts", rec.id());
        String receiptText = new String(receiptMessage, StandardCharsets.UTF_8);
        assertThat(receiptText).contains("Content-Type: multipart/report; report-type=sealpost-evidence-receipt");
        String json = receiptJson(receiptMessage);
        assertThat(json).contains("\"timestamp\":{").contains("\"over\":\"tree_head\"").contains("\"inclusion_path\"").contains("\"checkpoint\"");

        // the published key (curl, HTTPS) and the exported files, as a verifier with only these would have them
        Peers.Result keys = curl("/evidence/keys");
        assertThat(keys.exit()).as(keys.output()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> keyDoc = (Map<String, Object>) JsonParser.parseOrThrow(keys.output().strip());
        @SuppressWarnings("unchecked")
        String verifierKey = (String) ((Map<String, Object>) ((List<Object>) keyDoc.get("keys")).getFirst()).get("verifier_key");
        assertThat(verifierKey).startsWith("mx.example.test/evidence+");
        // the records are signed by the domain's record key, published beside the log key
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> published = (List<Map<String, Object>>) (List<?>) keyDoc.get("keys");
        List<String> allKeys = published.stream().map(k -> (String) k.get("verifier_key")).toList();
        assertThat(published).anySatisfy(k -> {
            assertThat(k.get("domain")).isEqualTo("example.test");
            assertThat((String) k.get("verifier_key")).startsWith("example.test/evidence-records+");
            assertThat(k).containsKey("not_before").doesNotContainKey("not_after");
        });
        assertThat(json).contains("\"key\":\"example.test/evidence-records\"");
        Path logOnly = Files.writeString(dir.resolve("log-only.pub"), verifierKey + "\n");
        Path pub = Files.writeString(dir.resolve("log.pub"), String.join("\n", allKeys) + "\n");
        Path ca = Files.writeString(dir.resolve("tsa-ca.pem"), (String) keyDoc.get("tsa_ca"));
        Path receipt = Files.writeString(dir.resolve("receipt.json"), json);
        Path message = Files.write(dir.resolve("message.eml"), delivered);
        assertThat(cli("evidence", "verify", receipt.toString(), "--log-key", pub.toString(), "--message", message.toString(),
                "--tsa-ca", ca.toString())).isZero();
        // openssl checks the receipt's tree-head token over its root hash with the published CA
        Peers.require("openssl");
        @SuppressWarnings("unchecked")
        Map<String, Object> stamp = (Map<String, Object>) ((Map<String, Object>) JsonParser.parseOrThrow(json)).get("timestamp");
        Files.write(dir.resolve("tree.tst"), java.util.Base64.getDecoder().decode((String) stamp.get("token")));
        String rootHex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode((String) stamp.get("root_hash")));
        Peers.Result ts = Peers.run(List.of("openssl", "ts", "-verify", "-digest", rootHex, "-in", "tree.tst", "-token_in",
                "-CAfile", ca.toString()), dir, 60);
        assertThat(ts.output()).contains("Verification: OK");

        // without the domain's record key the record's signature cannot be checked
        assertThat(cli("evidence", "verify", receipt.toString(), "--log-key", logOnly.toString())).isEqualTo(1);

        // one bit changed in the message: the receipt no longer matches it
        byte[] flipped = delivered.clone();
        flipped[flipped.length - 5] ^= 0x01;
        Path bad = Files.write(dir.resolve("message-flipped.eml"), flipped);
        assertThat(cli("evidence", "verify", receipt.toString(), "--log-key", pub.toString(), "--message", bad.toString())).isEqualTo(1);

        // the checkpoint over HTTPS verifies with the published key, and covers the record
        Peers.Result cp = curl("/evidence/log/checkpoint");
        assertThat(cp.exit()).as(cp.output()).isZero();
        Path note = Files.writeString(dir.resolve("checkpoint"), cp.output());
        Ed25519PublicKey key = Ed25519PublicKey.parseVerifierKey(verifierKey).orElseThrow();
        assertThat(Checkpoint.open(cp.output(), key)).isInstanceOf(Checkpoint.Valid.class);
        long size = ((Checkpoint.Valid) Checkpoint.open(cp.output(), key)).checkpoint().size();
        assertThat(size).isGreaterThan(records.getFirst().index());

        // the record is in the log's entry bundle (C2SP tlog-tiles), served for the checkpoint's size
        if (size < Tiles.WIDTH) {
            Peers.Result tile = Peers.run(List.of("curl", "-sS", "--fail", "--max-time", "20", "--cacert", server.cert.toString(),
                    "-o", "bundle", "https://127.0.0.1:" + server.server.httpPort(true) + "/evidence/log/tile/entries/000.p/" + size), dir, 60);
            assertThat(tile.exit()).as(tile.output()).isZero();
            List<byte[]> entries = Tiles.readBundle(Files.readAllBytes(dir.resolve("bundle"))).orElseThrow();
            assertThat(entries).hasSize((int) size);
            assertThat(entries.get((int) records.getFirst().index())).isEqualTo(records.getFirst().bytes());
            // the level-0 hash tile holds the leaf hashes (RFC 9162 §2.1.1: SHA-256(0x00 || record))
            Peers.Result hashes = Peers.run(List.of("curl", "-sS", "--fail", "--max-time", "20", "--cacert", server.cert.toString(),
                    "-o", "tile0", "https://127.0.0.1:" + server.server.httpPort(true) + "/evidence/log/tile/0/000.p/" + size), dir, 60);
            assertThat(hashes.exit()).as(hashes.output()).isZero();
            byte[] tile0 = Files.readAllBytes(dir.resolve("tile0"));
            assertThat(tile0).hasSize((int) size * 32);
            int at = (int) records.getFirst().index() * 32;
            assertThat(java.util.Arrays.copyOfRange(tile0, at, at + 32)).isEqualTo(records.getFirst().leafHash());
        }
        // not over plain HTTP: the key must not be swapped on the way
        Peers.Result plain = Peers.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                "http://127.0.0.1:" + server.server.httpPort(false) + "/evidence/keys"), dir, 60);
        assertThat(plain.output().strip()).isEqualTo("404");

        // an independent checker of the signed note (Python's cryptography), when there is one
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("python3", "-c", "import cryptography.hazmat.primitives.asymmetric.ed25519"), dir, 30);
        Peers.require(probe.exit() == 0, "Python's cryptography package (pip install cryptography)");
        Path script = dir.resolve("verify_checkpoint.py");
        try (InputStream in = dev.sealpost.testkit.Peers.class.getResourceAsStream("verify_checkpoint.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Peers.Result py = Peers.run(List.of("python3", script.toString(), note.toString(), logOnly.toString()), dir, 60);
        assertThat(py.exit()).as(py.output()).isZero();
        assertThat(py.output()).contains("origin mx.example.test/evidence").contains("size " + size).contains("OK");
    }

    @Test
    void noReceiptUnlessAsked() throws Exception {
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", "bob@example.test", "--auth-password", "bob password 123",
                "--from", "bob@example.test", "--to", TestServer.USER,
                "--header", "Subject: no receipt wanted", "--header", "Message-Id: <evidence-e2e-2@example.test>",
                "--header", "Sealpost-Receipt: no");
        assertThat(r.exit()).as(r.output()).isZero();
        awaitMessage(TestServer.USER, "INBOX", "Subject: no receipt wanted");
        // the record is there, the field is gone, and bob has no Receipts mailbox
        // the record is durable in the store's journal at the "250" and reaches the log just after (docs/evidence.md)
        assertThat(server.server.evidence().awaitJournal(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(server.server.evidence().log().findByMessageId("<evidence-e2e-2@example.test>").stream()
                .filter(x -> x.record().event() == EvidenceEvent.SUBMISSION_ACCEPTANCE)).hasSize(1);
        assertThat(new String(awaitMessage(TestServer.USER, "INBOX", "Subject: no receipt wanted"), StandardCharsets.UTF_8))
                .doesNotContainIgnoringCase("Sealpost-Receipt");
        assertThat(server.store().mailboxes().mailbox(server.accountId("bob@example.test"), "Receipts")).isEmpty();
    }

    @Test
    void mxReceptionIsRecordedWithItsAuthenticationResults() throws Exception {
        server.deliverLocal("bob@example.test", "From: someone@elsewhere.test\r\nSubject: inbound evidence\r\n"
                + "Message-ID: <evidence-mx-1@elsewhere.test>\r\n\r\nhello\r\n");
        // the record is durable in the store's journal at the "250" and reaches the log just after (docs/evidence.md)
        assertThat(server.server.evidence().awaitJournal(java.time.Duration.ofSeconds(10))).isTrue();
        List<EvidenceLog.Stored> records = server.server.evidence().log().findByMessageId("<evidence-mx-1@elsewhere.test>").stream()
                .filter(x -> x.record().event() == EvidenceEvent.RECEIVED_FROM_NON_REM).toList();
        assertThat(records).hasSize(1);
        var rec = records.getFirst().record();
        assertThat(rec.event()).isEqualTo(EvidenceEvent.RECEIVED_FROM_NON_REM);
        assertThat(rec.account()).isNull();
        assertThat(rec.mailFrom()).isEqualTo("sender@elsewhere.test");
        assertThat(rec.extra()).containsKey("auth_results");
        byte[] stored = awaitMessage("bob@example.test", "INBOX", "Subject: inbound evidence");
        assertThat(rec.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    }

    @Test
    void receiptHeaderFromTheMxIsNotHonoured() throws Exception {
        server.deliverLocal("bob@example.test", "From: someone@elsewhere.test\r\nSubject: mx asks for a receipt\r\n"
                + "Sealpost-Receipt: yes\r\nMessage-ID: <evidence-mx-2@elsewhere.test>\r\n\r\nhello\r\n");
        byte[] stored = awaitMessage("bob@example.test", "INBOX", "Subject: mx asks for a receipt");
        // an unknown field from outside is left alone, and no receipt is made for anyone
        assertThat(new String(stored, StandardCharsets.UTF_8)).contains("Sealpost-Receipt: yes");
        // the record is durable in the store's journal at the "250" and reaches the log just after (docs/evidence.md)
        assertThat(server.server.evidence().awaitJournal(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(server.server.evidence().log().findByMessageId("<evidence-mx-2@elsewhere.test>").stream()
                .filter(x -> x.record().event() == EvidenceEvent.RECEIVED_FROM_NON_REM)).hasSize(1);
    }

    /** A DSN (RFC 3464) and an MDN (RFC 8098) received at the MX get their own records, naming the original message. */
    @Test
    void reportsReceivedAtTheMxAreRecorded() throws Exception {
        String dsn = "From: MAILER-DAEMON@elsewhere.test\r\nTo: bob@example.test\r\nSubject: Delivery Status Notification\r\n"
                + "Message-ID: <evidence-dsn-1@elsewhere.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.elsewhere.test\r\nOriginal-Envelope-Id: env-42\r\n\r\n"
                + "Final-Recipient: rfc822; carol@elsewhere.test\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
                + "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: bob@example.test\r\nMessage-ID: <original-1@example.test>\r\n\r\n"
                + "--b1--\r\n";
        server.deliverLocal("bob@example.test", dsn);
        EvidenceLog log = server.server.evidence().log();
        EvidenceLog.Stored d = awaitRecord(log, "<evidence-dsn-1@elsewhere.test>", EvidenceEvent.DSN_RECEIVED);
        assertThat(d.record().extra()).containsEntry("original_message_id", "<original-1@example.test>")
                .containsEntry("original_envelope_id", "env-42").containsEntry("reporting_mta", "dns; mx.elsewhere.test")
                .containsEntry("dsn_actions", List.of("delivered")).containsEntry("dsn_statuses", List.of("2.0.0"))
                .containsEntry("dsn_final_recipients", List.of("rfc822; carol@elsewhere.test"));
        EvidenceLog.Stored received = awaitRecord(log, "<evidence-dsn-1@elsewhere.test>", EvidenceEvent.RECEIVED_FROM_NON_REM);
        assertThat(d.record().extra()).containsEntry("received_record", received.record().id());
        assertThat(d.record().sha256()).isEqualTo(received.record().sha256());

        String mdn = "From: carol@elsewhere.test\r\nTo: bob@example.test\r\nSubject: Read: hello\r\n"
                + "Message-ID: <evidence-mdn-1@elsewhere.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b2\"\r\n\r\n"
                + "--b2\r\nContent-Type: text/plain\r\n\r\nYour message was displayed.\r\n"
                + "--b2\r\nContent-Type: message/disposition-notification\r\n\r\n"
                + "Reporting-UA: mua.elsewhere.test; ExampleMail\r\nFinal-Recipient: rfc822; carol@elsewhere.test\r\n"
                + "Original-Message-ID: <original-1@example.test>\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n\r\n"
                + "--b2--\r\n";
        server.deliverLocal("bob@example.test", mdn);
        EvidenceLog.Stored r = awaitRecord(log, "<evidence-mdn-1@elsewhere.test>", EvidenceEvent.MDN_RECEIVED);
        assertThat(r.record().extra()).containsEntry("original_message_id", "<original-1@example.test>")
                .containsEntry("mdn_disposition", "manual-action/MDN-sent-manually; displayed")
                .containsEntry("final_recipient", "rfc822; carol@elsewhere.test");
        // an ordinary message gets no report record
        assertThat(log.findByMessageId("<evidence-mx-1@elsewhere.test>").stream()
                .filter(x -> x.record().event() == EvidenceEvent.DSN_RECEIVED || x.record().event() == EvidenceEvent.MDN_RECEIVED)).isEmpty();
    }

    private static EvidenceLog.Stored awaitRecord(EvidenceLog log, String messageId, EvidenceEvent event) throws Exception {
        Instant until = Instant.now().plusSeconds(20);
        while (true) {
            var found = log.findByMessageId(messageId).stream().filter(x -> x.record().event() == event).toList();
            if (!found.isEmpty()) {
                assertThat(found).hasSize(1);
                return found.getFirst();
            }
            if (Instant.now().isAfter(until)) throw new AssertionError("no " + event.wire() + " record for " + messageId);
            Thread.sleep(100);
        }
    }
}
