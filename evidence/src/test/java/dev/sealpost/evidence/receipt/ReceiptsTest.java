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

    private static List<String> failed(Receipts.Report r) {
        return r.checks().stream().filter(c -> !c.ok()).map(Receipts.Check::name).toList();
    }
}
