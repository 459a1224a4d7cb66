package dev.sealpost.evidence.receipt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.note.SignedNote;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.tiles.Tiles;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz targets for every evidence input that comes from outside: receipts ({@code evidence
 * verify}), signed notes and checkpoints, record bytes, tile paths. None may throw; a receipt
 * made of fuzz never verifies; whatever parses has the one canonical spelling. Seeds:
 * {@code src/test/resources/dev/sealpost/evidence/receipt/EvidenceInputsFuzzTestInputs/}.
 */
class EvidenceInputsFuzzTest {
    static final Ed25519Key KEY = Ed25519Key.parsePrivate(
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz").orElseThrow();

    @FuzzTest(maxDuration = "30s")
    void receipt(byte[] data) {
        Receipts.Report r = Receipts.verify(new String(data, StandardCharsets.UTF_8), KEY.publicKey(), data, null);
        if (r.ok()) throw new AssertionError("a receipt made of fuzz verified");
        if (r.checks().isEmpty()) throw new AssertionError("no check reported");
    }

    @FuzzTest(maxDuration = "30s")
    void note(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (SignedNote.open(text, List.of(KEY.publicKey())) instanceof SignedNote.Verified v && !text.startsWith(v.text())) {
            throw new AssertionError("verified text is not the note's text");
        }
        Checkpoint.open(text, KEY.publicKey());
        if (Checkpoint.parseBody(text) instanceof Checkpoint.Valid c && !c.checkpoint().body().equals(text)) {
            throw new AssertionError("a checkpoint body with two spellings");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void record(byte[] data) {
        if (EvidenceRecord.parse(data) instanceof EvidenceRecord.Parsed p && !java.util.Arrays.equals(p.record().canonicalBytes(), data)) {
            throw new AssertionError("accepted a record not in canonical form");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void tilePath(byte[] data) {
        String path = new String(data, StandardCharsets.UTF_8);
        Tiles.parsePath(path).ifPresent(ref -> {
            if (!ref.path().equals(path)) throw new AssertionError("tile path with two spellings: " + path);
        });
    }
}
