package dev.sealpost.evidence.receipt;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.tsa.InternalCa;
import dev.sealpost.evidence.tsa.TimeStampAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiptsTest {
    static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");

    @Test
    void aReceiptVerifiesOfflineAndEveryChangeIsCaught(@TempDir Path data) throws Exception {
        byte[] message = "From: a@example.test\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        InternalCa ca = InternalCa.create("mail.example.test", NOW, Duration.ofDays(30)).ca();
        TimeStampAuthority tsa = new TimeStampAuthority(ca, Clock.fixed(NOW, ZoneOffset.UTC));
        String json;
        Ed25519Key key;
        try (EvidenceLog log = EvidenceLog.open(data, "mail.example.test/evidence")) {
            key = log.key();
            for (int i = 0; i < 6; i++) {
                log.append(new EvidenceRecord("id" + i, EvidenceEvent.SUBMISSION_ACCEPTANCE, NOW.plusSeconds(i), "<m" + i + "@x>",
                        EvidenceRecord.sha256Hex(i == 4 ? message : new byte[] {(byte) i}), "a@example.test", List.of("b@example.test"),
                        "a@example.test", "192.0.2.1", null));
            }
            EvidenceRecord r4 = log.read("id4").orElseThrow().record();
            Map<String, Object> receipt = Receipts.receipt(log, "id4", tsa.stamp(r4.hash()).token());
            assertThat(receipt).containsKeys("leaf_index", "tree_size", "leaf_hash", "root_hash", "inclusion_path", "checkpoint",
                    "record", "record_signature", "timestamp_token");
            json = CanonicalJson.string(receipt);
            log.append(new EvidenceRecord("id6", EvidenceEvent.RELAY_ACCEPTANCE, NOW, null, EvidenceRecord.sha256Hex(message), null, List.of(), null, null, null));
            Map<String, Object> c = Receipts.consistency(log, 6, 7);
            assertThat(c.keySet()).containsExactly("new_root", "new_size", "old_root", "old_size", "proof");
        }
        Receipts.Report ok = Receipts.verify(json, key.publicKey(), message, ca.caCert());
        assertThat(ok.checks()).allMatch(Receipts.Check::ok);
        assertThat(ok.checks()).extracting(Receipts.Check::name).containsExactly("record", "record signature", "leaf hash",
                "checkpoint", "tree head", "inclusion proof", "message", "time stamp");
        assertThat(ok.ok()).isTrue();

        byte[] changed = message.clone();
        changed[changed.length - 3] ^= 1;   // one bit of the message
        assertThat(failed(Receipts.verify(json, key.publicKey(), changed, null))).containsExactly("message");
        assertThat(failed(Receipts.verify(json.replace("b@example.test", "c@example.test"), key.publicKey(), null, null)))
                .contains("record signature", "leaf hash", "inclusion proof");
        assertThat(failed(Receipts.verify(json, Ed25519Key.generate("mail.example.test/evidence").publicKey(), null, null)))
                .contains("record signature", "checkpoint");
        assertThat(failed(Receipts.verify(json.replace("\"leaf_index\":4", "\"leaf_index\":3"), key.publicKey(), null, null)))
                .containsExactly("inclusion proof");
        assertThat(failed(Receipts.verify(json, key.publicKey(), null, InternalCa.create("x", NOW, Duration.ofDays(1)).ca().caCert())))
                .containsExactly("time stamp");
        assertThat(Receipts.verify("[]", key.publicKey(), null, null).ok()).isFalse();
        assertThat(Receipts.verify("{\"record\":{}}", key.publicKey(), null, null).ok()).isFalse();
    }

    /**
     * Tree-head time stamps (the server's default): one RFC 3161 token over the RFC 9162 root of a
     * tree dates every record in it. The receipt carries the token, the record's inclusion proof in
     * the stamped tree and the consistency proof to its checkpoint; openssl accepts the token over
     * the root hash; the audit checks every stored token and catches a rewritten record.
     */
    @Test
    void treeHeadStampsDateEveryRecordBeforeThem(@TempDir Path data) throws Exception {
        InternalCa ca = InternalCa.loadOrCreate(data.resolve("evidence/tsa"), "mail.example.test", NOW);
        TimeStampAuthority tsa = new TimeStampAuthority(ca, Clock.fixed(NOW, ZoneOffset.UTC));
        Ed25519Key key;
        String atStamp;
        String later;
        byte[] token5;
        byte[] root5;
        try (EvidenceLog log = EvidenceLog.open(data, "mail.example.test/evidence", tsa, false)) {
            key = log.key();
            assertThat(log.stampsEachRecord()).isFalse();
            for (int i = 0; i < 5; i++) log.append(record(i));
            assertThat(log.timestampToken(0)).isEmpty();   // no per-record tokens in this mode
            EvidenceLog.TreeStamp st = log.stampTree(5);
            assertThat(log.stampTree(5).token()).isEqualTo(st.token());   // stamped once
            assertThat(st.rootHash()).isEqualTo(log.root(5));
            token5 = st.token();
            root5 = st.rootHash();
            log.checkpoint();
            atStamp = CanonicalJson.string(Receipts.receipt(log, "id3", null));
            for (int i = 5; i < 9; i++) log.append(record(i));
            log.checkpoint();
            later = CanonicalJson.string(Receipts.receipt(log, "id8", null));   // no stamp covers record 8 yet
            assertThat(later).doesNotContain("\"timestamp\"");
            log.stampTree(7);
            assertThat(log.treeStampCovering(6).orElseThrow().treeSize()).isEqualTo(7);
            assertThat(log.treeStampCovering(2).orElseThrow().treeSize()).isEqualTo(5);
            later = CanonicalJson.string(Receipts.receipt(log, "id6", null));   // checkpoint of 9, stamp of 7: a consistency proof between
        }
        try (EvidenceLog log = EvidenceLog.open(data, "mail.example.test/evidence", tsa, false)) {
            assertThat(log.lastStampedTreeSize()).isEqualTo(7);   // kept across a restart
            assertThat(log.audit().ok()).isTrue();
        }
        for (String json : List.of(atStamp, later)) {
            Receipts.Report r = Receipts.verify(json, key.publicKey(), null, ca.caCert());
            assertThat(r.checks()).allMatch(Receipts.Check::ok);
            assertThat(r.checks().getLast().detail()).contains("over the root of");
        }
        assertThat(later).contains("\"tree_size\":7").contains("\"tree_size\":9");
        assertThat(failed(Receipts.verify(later, key.publicKey(), null, InternalCa.create("x", NOW, Duration.ofDays(1)).ca().caCert())))
                .containsExactly("time stamp");
        // a stamped root of another tree: the record is not in it
        String forged = later.replace(java.util.Base64.getEncoder().encodeToString(log7Root(later)), java.util.Base64.getEncoder().encodeToString(root5));
        assertThat(failed(Receipts.verify(forged, key.publicKey(), null, ca.caCert()))).containsExactly("time stamp");

        // a record rewritten behind the stamps: the audit names the stamped trees too
        Path records = data.resolve("evidence/records");
        byte[] all = java.nio.file.Files.readAllBytes(records);
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("b@example.test");
        all[at] = 'c';
        int len = java.nio.ByteBuffer.wrap(all, 0, 4).getInt();   // an intruder recomputes the frame's CRC-32C too
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(all, 8, len);
        java.nio.ByteBuffer.wrap(all, 4, 4).putInt((int) crc.getValue());
        java.nio.file.Files.write(records, all);
        var report = EvidenceLog.audit(data, key.publicKey());
        assertThat(report.ok()).isFalse();
        assertThat(String.join("\n", report.problems())).contains("the time-stamp token of the tree of 5 records");
    
        // openssl: the token is over the root hash (-digest), a peer's own check
        dev.sealpost.testkit.Peers.require("openssl");
        {
            java.nio.file.Files.write(data.resolve("token.tst"), token5);
            var ok = dev.sealpost.testkit.Peers.run(List.of("openssl", "ts", "-verify", "-digest", java.util.HexFormat.of().formatHex(root5),
                    "-in", "token.tst", "-token_in", "-CAfile", data.resolve("evidence/tsa/ca.pem").toString()), data, 60);
            assertThat(ok.output()).contains("Verification: OK");
            root5[0] ^= 1;
            var bad = dev.sealpost.testkit.Peers.run(List.of("openssl", "ts", "-verify", "-digest", java.util.HexFormat.of().formatHex(root5),
                    "-in", "token.tst", "-token_in", "-CAfile", data.resolve("evidence/tsa/ca.pem").toString()), data, 60);
            assertThat(bad.exit()).isNotZero();
        }

    }

    private static byte[] log7Root(String receiptJson) {
        Map<?, ?> m = (Map<?, ?>) dev.sealpost.evidence.json.JsonParser.parseOrThrow(receiptJson);
        return java.util.Base64.getDecoder().decode((String) ((Map<?, ?>) m.get("timestamp")).get("root_hash"));
    }

    private static EvidenceRecord record(int i) {
        return new EvidenceRecord("id" + i, EvidenceEvent.SUBMISSION_ACCEPTANCE, NOW.plusSeconds(i), "<m" + i + "@x>",
                EvidenceRecord.sha256Hex(new byte[] {(byte) i}), "a@example.test", List.of("b@example.test"), "a@example.test", "192.0.2.1", null);
    }

    private static List<String> failed(Receipts.Report r) {
        return r.checks().stream().filter(c -> !c.ok()).map(Receipts.Check::name).toList();
    }
}
