package dev.sealpost.evidence.sign;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.receipt.Receipts;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-domain record keys: rotation keeps the old keys (published, valid for what they signed), the log and the audit accept them. */
class RecordKeysTest {
    static final Instant T0 = Instant.parse("2026-12-07T21:00:00Z");

    @Test
    void rotationKeepsOldKeysAndEveryRecordStillVerifies(@TempDir Path data) throws Exception {
        Path dir = data.resolve("evidence");
        String first;
        String second;
        Ed25519Key logKey;
        try (EvidenceLog log = EvidenceLog.open(data, "mx.example.test/evidence")) {
            logKey = log.key();
            assertThat(log.recordKeys().entries()).isEmpty();
            Ed25519Key k1 = RecordKeys.rotate(dir, "Example.TEST", T0);
            assertThat(k1.name()).isEqualTo("example.test/evidence-records");
            assertThat(Files.getPosixFilePermissions(dir.resolve("keys/example.test/" + T0.toEpochMilli() + ".key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(log.recordKeys().current("example.test")).hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo(k1.publicKey()));
            log.appendPrepared(List.of(log.prepare(record("r1"), k1)));
            log.append(record("r2"));   // the log key still signs what has no domain key

            Ed25519Key k2 = RecordKeys.rotate(dir, "example.test", T0.plusSeconds(3600));
            // the server's log sees the rotation made beside it (keys/generation)
            assertThat(log.recordKeys().current("example.test")).hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo(k2.publicKey()));
            log.appendPrepared(List.of(log.prepare(record("r3"), k2)));
            assertThat(log.read("r1").orElseThrow().signature().keyName()).isEqualTo("example.test/evidence-records");
            assertThat(log.read("r2").orElseThrow().signature().keyName()).isEqualTo("mx.example.test/evidence");

            // a key that is neither the log's nor in keys/ is refused
            Ed25519Key stranger = Ed25519Key.generate("example.test/evidence-records");
            assertThatThrownBy(() -> log.appendPrepared(List.of(log.prepare(record("r4"), stranger))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not signed by");

            List<RecordKeys.Entry> entries = log.recordKeys().entries();
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).notBefore()).isEqualTo(T0);
            assertThat(entries.get(0).notAfter()).isEqualTo(T0.plusSeconds(3600));
            assertThat(entries.get(1).current()).isTrue();
            first = CanonicalJson.string(Receipts.receipt(log, "r1", null));
            second = CanonicalJson.string(Receipts.receipt(log, "r3", null));
        }
        // reopened: names resolved from keys/, the audit verifies each record with its own key
        try (EvidenceLog log = EvidenceLog.open(data, "mx.example.test/evidence")) {
            assertThat(log.read("r1").orElseThrow().signature().keyName()).isEqualTo("example.test/evidence-records");
            assertThat(log.audit().ok()).isTrue();
        }
        List<Ed25519PublicKey> published = RecordKeys.load(dir).entries().stream().map(e -> e.key().publicKey()).toList();
        assertThat(Receipts.verify(first, logKey.publicKey(), published, null, null).ok()).isTrue();   // signed by the old key
        assertThat(Receipts.verify(second, logKey.publicKey(), published, null, null).ok()).isTrue();
        assertThat(Receipts.verify(first, logKey.publicKey(), List.of(published.get(1)), null, null).ok()).isFalse();
        assertThat(Receipts.verify(first, logKey.publicKey(), null, null).ok()).isFalse();

        // a retired key deleted from keys/: the audit names the records it signed
        Files.delete(dir.resolve("keys/example.test/" + T0.toEpochMilli() + ".key"));
        var report = EvidenceLog.audit(data, logKey.publicKey());
        assertThat(report.ok()).isFalse();
        assertThat(String.join("\n", report.problems())).contains("record 0 (r1)").contains("neither the log key nor a record key");
        assertThatThrownBy(() -> RecordKeys.rotate(dir, "not a domain", T0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static EvidenceRecord record(String id) {
        return new EvidenceRecord(id, EvidenceEvent.SUBMISSION_ACCEPTANCE, T0, "<" + id + "@x>", EvidenceRecord.sha256Hex(id.getBytes()),
                "a@example.test", List.of("b@example.test"), "a@example.test", "192.0.2.1", null);
    }
}
