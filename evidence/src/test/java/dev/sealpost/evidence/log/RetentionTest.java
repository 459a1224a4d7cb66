package dev.sealpost.evidence.log;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.receipt.Receipts;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.tiles.Tiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention: pruning the oldest records keeps their leaf hashes, so the tree, checkpoints and old proofs still verify. */
class RetentionTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String ORIGIN = "mx.example.test/evidence";

    @Test
    void prunedRecordsLeaveTheirLeavesAndEveryProofStillVerifies(@TempDir Path data) throws Exception {
        Ed25519Key key;
        String oldReceipt;
        byte[] root;
        String checkpoint;
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            key = log.key();
            for (int i = 0; i < 6; i++) log.append(record(i));
            checkpoint = log.checkpoint();
            root = log.root(6);
            oldReceipt = CanonicalJson.string(Receipts.receipt(log, "id1", null));   // a receipt of a record about to be pruned
            // the writer holds the lock: pruning needs the server stopped
            assertThatThrownBy(() -> EvidenceLog.prune(data, T0.plusSeconds(3 * 86400))).isInstanceOf(EvidenceLog.LogInUseException.class);
        }
        assertThat(EvidenceLog.prune(data, T0.plusSeconds(3 * 86400))).isEqualTo(3);   // records 0, 1, 2 are older than day 3
        assertThat(EvidenceLog.prune(data, T0.plusSeconds(3 * 86400))).isZero();
        assertThat(Files.readString(data.resolve("evidence/records"), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("<m1@x>");

        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.size()).isEqualTo(6);
            assertThat(log.prunedCount()).isEqualTo(3);
            assertThat(log.root(6)).isEqualTo(root);
            assertThat(log.consistentWith(checkpoint).valid()).isTrue();
            assertThatThrownBy(() -> log.read(1)).isInstanceOf(EvidenceLog.PrunedException.class);
            assertThat(log.read("id1")).isEmpty();
            assertThat(log.findByMessageId("<m4@x>")).hasSize(1);
            assertThat(log.audit().ok()).as(log.audit().problems().toString()).isTrue();
            // the entry bundle holding pruned records is gone; the hash tiles are not
            assertThat(log.tile(new Tiles.TileRef(-1, 0, 6), 6)).isEmpty();
            assertThat(log.tile(new Tiles.TileRef(0, 0, 6), 6)).isPresent();
            // a kept record still gets a receipt, and appending goes on
            String kept = CanonicalJson.string(Receipts.receipt(log, "id4", null));
            assertThat(Receipts.verify(kept, key.publicKey(), null, null).ok()).isTrue();
            log.append(record(6));
            assertThat(Receipts.consistency(log, 6, 7)).containsKey("proof");
        }
        // the receipt made before the pruning still verifies offline: it holds the record and the proof needs only hashes
        assertThat(Receipts.verify(oldReceipt, key.publicKey(), null, null).ok()).isTrue();

        // a pruned frame that claims another leaf does not open, and the audit says why
        Path records = data.resolve("evidence/records");
        byte[] all = Files.readAllBytes(records);
        all[8 + EvidenceLog.PRUNED.length] ^= 1;   // first frame: the kept leaf's first byte
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(all, 8, java.nio.ByteBuffer.wrap(all, 0, 4).getInt());
        java.nio.ByteBuffer.wrap(all, 4, 4).putInt((int) crc.getValue());
        Files.write(records, all);
        assertThatThrownBy(() -> EvidenceLog.open(data, ORIGIN)).hasMessageContaining("pruned record 0");
        assertThat(String.join("\n", EvidenceLog.audit(data, key.publicKey()).problems())).contains("pruned record 0 keeps another leaf");
    }

    private static EvidenceRecord record(int day) {
        return new EvidenceRecord("id" + day, EvidenceEvent.SUBMISSION_ACCEPTANCE, T0.plusSeconds(day * 86400L), "<m" + day + "@x>",
                EvidenceRecord.sha256Hex(new byte[] {(byte) day}), "a@example.test", List.of("b@example.test"), "a@example.test", "192.0.2.1", null);
    }
}
