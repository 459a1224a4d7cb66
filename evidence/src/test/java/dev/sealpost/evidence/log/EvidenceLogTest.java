package dev.sealpost.evidence.log;

import dev.sealpost.evidence.merkle.MerkleProofs;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.tiles.Tiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceLogTest {
    static final String ORIGIN = "mail.example.test/evidence";

    static EvidenceRecord record(int i) {
        return new EvidenceRecord("r" + i, EvidenceEvent.SUBMISSION_ACCEPTANCE, Instant.parse("2026-12-07T20:00:00Z").plusSeconds(i),
                "<m" + (i % 3) + "@example.test>", EvidenceRecord.sha256Hex(("message " + i).getBytes(StandardCharsets.UTF_8)),
                "alice@example.test", List.of("bob@example.org"), "alice@example.test", "192.0.2." + (i % 250), Map.of("n", (long) i));
    }

    static void fill(EvidenceLog log, int from, int to) throws IOException {
        for (int i = from; i < to; i++) log.append(record(i));
    }

    @Test
    void appendsReadBackAndProveAcrossReopen(@TempDir Path data) throws IOException {
        String cp5;
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            fill(log, 0, 5);
            cp5 = log.checkpoint();
            log.appendAll(List.of(record(5), record(6), record(7)));
            assertThat(log.size()).isEqualTo(8);
            assertThatThrownBy(() -> log.append(record(3))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.size()).isEqualTo(8);
        }
        assertThat(Files.getPosixFilePermissions(data.resolve("evidence/log-key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.recovery().clean()).isTrue();
            assertThat(log.size()).isEqualTo(8);
            EvidenceLog.Stored s = log.read("r6").orElseThrow();
            assertThat(s.index()).isEqualTo(6);
            assertThat(s.record()).isEqualTo(record(6));
            assertThat(s.signature().verify(log.key().publicKey(), s.bytes())).isTrue();
            assertThat(log.findByMessageId("<m1@example.test>")).extracting(EvidenceLog.Stored::index).containsExactly(1L, 4L, 7L);

            String cp8 = log.checkpointCovering(6);
            Checkpoint c = ((Checkpoint.Valid) Checkpoint.open(cp8, log.key().publicKey())).checkpoint();
            assertThat(c.size()).isEqualTo(8);
            assertThat(MerkleProofs.verifyInclusion(6, 8, s.leafHash(), log.inclusionProof(6, 8), c.root()).valid()).isTrue();
            Checkpoint old = ((Checkpoint.Valid) Checkpoint.open(cp5, log.key().publicKey())).checkpoint();
            assertThat(MerkleProofs.verifyConsistency(5, 8, old.root(), c.root(), log.consistencyProof(5, 8)).valid()).isTrue();
            assertThat(log.consistentWith(cp5).valid()).isTrue();
            assertThat(log.checkpoints()).containsExactly(cp5, cp8);

            AuditReport a = log.audit();
            assertThat(a.problems()).isEmpty();
            assertThat(a.records()).isEqualTo(8);
            assertThat(a.checkpoints()).isEqualTo(2);

            byte[] bundle = log.tile(new Tiles.TileRef(-1, 0, 8), 8).orElseThrow();
            assertThat(Tiles.readBundle(bundle).orElseThrow().get(6)).isEqualTo(s.bytes());
            assertThat(log.tile(new Tiles.TileRef(0, 0, 8), 8).orElseThrow()).hasSize(8 * 32);
            assertThat(log.tile(new Tiles.TileRef(0, 0, 9), 8)).isEmpty();
        }
        assertThatThrownBy(() -> EvidenceLog.open(data, "other.example/log")).isInstanceOf(IOException.class).hasMessageContaining("origin");
    }

    @Test
    void aTornTailIsCutOffAndNothingElse(@TempDir Path data) throws IOException {
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            fill(log, 0, 4);
            log.checkpoint();
        }
        Path dir = data.resolve("evidence");
        byte[] recordsBefore = Files.readAllBytes(dir.resolve("records"));
        // A crash mid-append: half a record frame, 20 bytes of a leaf, half a checkpoint.
        byte[] frame = Frames.frame(record(4).canonicalBytes()).array();
        appendBytes(dir.resolve("records"), Arrays.copyOf(frame, frame.length / 2));
        appendBytes(dir.resolve("leaves"), new byte[20]);
        appendBytes(dir.resolve("checkpoints"), new byte[] {0, 0, 1});
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.recovery().clean()).isFalse();
            assertThat(log.recovery().recordBytesCut()).isEqualTo(frame.length / 2);
            assertThat(log.recovery().leafBytesCut()).isEqualTo(20);
            assertThat(log.size()).isEqualTo(4);
            assertThat(log.audit().problems()).isEmpty();
            fill(log, 4, 6);
            assertThat(log.audit().problems()).isEmpty();
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("records")), recordsBefore.length)).isEqualTo(recordsBefore);

        // A crash between the two writes: a whole record whose leaf never made it.
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            log.append(record(6));
        }
        truncate(dir.resolve("leaves"), 6 * 32);
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.recovery().unpairedCut()).isTrue();
            assertThat(log.size()).isEqualTo(6);
            assertThat(log.read("r6")).isEmpty();
            assertThat(log.audit().ok()).isTrue();
        }
    }

    @Test
    void editingARecordIsReported(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        List<byte[]> frames = frames(dir.resolve("records"));
        byte[] p = frames.get(3);
        String text = new String(p, 0, p.length - EvidenceLog.SIG_TRAILER, StandardCharsets.UTF_8).replace("bob@example.org", "eve@example.org");
        byte[] edited = ByteBuffer.allocate(text.length() + EvidenceLog.SIG_TRAILER).put(text.getBytes(StandardCharsets.UTF_8))
                .put(p, p.length - EvidenceLog.SIG_TRAILER, EvidenceLog.SIG_TRAILER).array();
        frames.set(3, edited);
        writeFrames(dir.resolve("records"), frames);   // with fresh checksums: a careful intruder
        AuditReport a = audit(data);
        assertThat(a.problems()).anyMatch(s -> s.startsWith("record 3 does not match leaf 3"))
                .anyMatch(s -> s.contains("record 3 (r3): its signature does not verify"))
                .anyMatch(s -> s.contains("the records no longer have its root"));
    }

    @Test
    void editingARecordAndItsLeafTogetherIsReported(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        List<byte[]> frames = frames(dir.resolve("records"));
        byte[] p = frames.get(2).clone();
        p[10] ^= 1;   // inside the record text
        frames.set(2, p);
        writeFrames(dir.resolve("records"), frames);
        byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
        byte[] leaf = dev.sealpost.evidence.merkle.MerkleHash.leafHash(Arrays.copyOf(p, p.length - EvidenceLog.SIG_TRAILER));
        System.arraycopy(leaf, 0, leaves, 2 * 32, 32);
        Files.write(dir.resolve("leaves"), leaves);
        AuditReport a = audit(data);
        assertThat(a.problems()).noneMatch(s -> s.contains("does not match leaf"))
                .anyMatch(s -> s.contains("the leaves no longer have its root"))
                .anyMatch(s -> s.contains("the records no longer have its root"));
    }

    @Test
    void editingALeafIsReported(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
        leaves[5 * 32 + 7] ^= (byte) 0x80;
        Files.write(dir.resolve("leaves"), leaves);
        AuditReport a = audit(data);
        assertThat(a.problems()).anyMatch(s -> s.startsWith("record 5 does not match leaf 5"))
                .anyMatch(s -> s.contains("the leaves no longer have its root"));
    }

    @Test
    void deletingARecordAndItsLeafIsReported(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        List<byte[]> frames = frames(dir.resolve("records"));
        frames.remove(4);
        writeFrames(dir.resolve("records"), frames);
        byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
        byte[] fewer = new byte[leaves.length - 32];
        System.arraycopy(leaves, 0, fewer, 0, 4 * 32);
        System.arraycopy(leaves, 5 * 32, fewer, 4 * 32, leaves.length - 5 * 32);
        Files.write(dir.resolve("leaves"), fewer);
        AuditReport a = audit(data);
        assertThat(a.problems()).noneMatch(s -> s.contains("does not match leaf"))
                .anyMatch(s -> s.contains("is for 10 records but the log holds 9"))
                .anyMatch(s -> s.contains("(size 7): the records no longer have its root"));
    }

    @Test
    void reorderingRecordsAndLeavesIsReported(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        List<byte[]> frames = frames(dir.resolve("records"));
        java.util.Collections.swap(frames, 1, 2);
        writeFrames(dir.resolve("records"), frames);
        byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
        byte[] l1 = Arrays.copyOfRange(leaves, 32, 64);
        System.arraycopy(leaves, 64, leaves, 32, 32);
        System.arraycopy(l1, 0, leaves, 64, 32);
        Files.write(dir.resolve("leaves"), leaves);
        AuditReport a = audit(data);
        assertThat(a.problems()).anyMatch(s -> s.contains("(size 7): the records no longer have its root"))
                .anyMatch(s -> s.contains("(size 10): the leaves no longer have its root"));
    }

    @Test
    void rollingBackIsReportedByAuditAndByAnOlderCheckpoint(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        String userHeld;
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            userHeld = log.latestCheckpoint().orElseThrow();   // size 10, in someone's receipt
        }
        byte[] cps = Files.readAllBytes(dir.resolve("checkpoints"));
        // Roll records and leaves back to 7 (checkpoints kept): audit sees it.
        List<byte[]> frames = frames(dir.resolve("records"));
        writeFrames(dir.resolve("records"), frames.subList(0, 7));
        truncate(dir.resolve("leaves"), 7 * 32);
        assertThat(audit(data).problems()).anyMatch(s -> s.contains("is for 10 records but the log holds 7 records and 7 leaves"));
        assertThatThrownBy(() -> EvidenceLog.open(data, ORIGIN)).isInstanceOf(IOException.class).hasMessageContaining("beyond its records");
        // Roll the checkpoints back too: the log is self-consistent, but the older checkpoint a user holds is not.
        List<byte[]> cpFrames = frames(dir.resolve("checkpoints"));
        writeFrames(dir.resolve("checkpoints"), cpFrames.subList(0, 1));
        assertThat(audit(data).ok()).isTrue();
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.consistentWith(userHeld).valid()).isFalse();
            // ... and a forked history of the same length is caught the same way.
            fill(log, 20, 23);
            assertThat(log.consistentWith(userHeld)).isInstanceOfSatisfying(dev.sealpost.evidence.merkle.Verification.Invalid.class,
                    v -> assertThat(v.reason()).contains("rewritten"));
        }
        assertThat(cps.length).isGreaterThan(0);
    }

    @Test
    void damageBeforeTheTailRefusesToOpenButIsAudited(@TempDir Path data) throws IOException {
        Path dir = logWithCheckpoints(data);
        byte[] rec = Files.readAllBytes(dir.resolve("records"));
        rec[Frames.HEADER + 5] ^= 1;   // inside record 0, its checksum now fails
        Files.write(dir.resolve("records"), rec);
        assertThatThrownBy(() -> EvidenceLog.open(data, ORIGIN)).isInstanceOf(IOException.class).hasMessageContaining("damaged");
        assertThat(audit(data).problems()).anyMatch(s -> s.contains("fails its checksum"));
    }

    @Test
    void oneWriterAtATimeAndReadersBesideIt(@TempDir Path data) throws IOException {
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            fill(log, 0, 3);
            assertThatThrownBy(() -> EvidenceLog.open(data, ORIGIN)).isInstanceOf(EvidenceLog.LogInUseException.class);
            appendBytes(data.resolve("evidence/records"), new byte[] {0, 0});   // a writer's tail in progress
            try (EvidenceLog reader = EvidenceLog.openReadOnly(data).orElseThrow()) {
                assertThat(reader.readOnly()).isTrue();
                assertThat(reader.size()).isEqualTo(3);
                assertThat(reader.read("r2").orElseThrow().record()).isEqualTo(record(2));
                assertThatThrownBy(() -> reader.append(record(9))).isInstanceOf(IOException.class);
                assertThatThrownBy(reader::checkpoint).isInstanceOf(IOException.class);
            }
            assertThat(Files.size(data.resolve("evidence/records"))).isGreaterThan(0);
        }
        try (EvidenceLog again = EvidenceLog.openExisting(data).orElseThrow()) {
            assertThat(again.size()).isEqualTo(3);
            assertThat(again.recovery().recordBytesCut()).isEqualTo(2);
        }
        assertThat(EvidenceLog.openReadOnly(data.resolve("nothing-here"))).isEmpty();
    }

    @Test
    void withATsaEveryRecordCarriesAStoredTokenThatAuditChecks(@TempDir Path data) throws Exception {
        Instant now = Instant.parse("2026-12-07T20:00:00Z");
        dev.sealpost.evidence.tsa.InternalCa ca = dev.sealpost.evidence.tsa.InternalCa.loadOrCreate(data.resolve("evidence/tsa"), "mail.example.test", now);
        dev.sealpost.evidence.tsa.TimeStampAuthority tsa = new dev.sealpost.evidence.tsa.TimeStampAuthority(ca,
                java.time.Clock.fixed(now.plusSeconds(30), java.time.ZoneOffset.UTC));
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN, tsa)) {
            fill(log, 0, 3);
            log.appendAll(List.of(record(3), record(4)));
            log.checkpoint();
            for (long i = 0; i < 5; i++) {
                byte[] token = log.timestampToken(i).orElseThrow();
                assertThat(dev.sealpost.evidence.tsa.TimeStampVerifier.verify(token, dev.sealpost.evidence.merkle.MerkleHash.sha256(log.read(i).bytes()), ca.caCert()))
                        .isInstanceOf(dev.sealpost.evidence.tsa.TimeStampVerifier.Valid.class);
            }
            assertThat(log.audit().problems()).isEmpty();
        }
        // A torn token frame of a record that never made it is cut; a log without a TSA has none for new records.
        byte[] extra = Frames.frame(ByteBuffer.allocate(12).putLong(5).putInt(7).array()).array();
        appendBytes(data.resolve("evidence/timestamps"), extra);
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            assertThat(log.timestampToken(4)).isPresent();
            log.append(record(5));
            assertThat(log.timestampToken(5)).isEmpty();
            assertThat(log.audit().problems()).isEmpty();
        }
        // Swapping two records' tokens is reported.
        List<byte[]> tokens = frames(data.resolve("evidence/timestamps"));
        byte[] t0 = tokens.get(0).clone();
        byte[] t1 = tokens.get(1).clone();
        System.arraycopy(t1, 8, t0, 8, 0);
        ByteBuffer.wrap(t0).putLong(1);
        ByteBuffer.wrap(t1).putLong(0);
        tokens.set(0, t1);
        tokens.set(1, t0);
        writeFrames(data.resolve("evidence/timestamps"), tokens);
        assertThat(audit(data).problems()).anyMatch(s -> s.contains("the time-stamp token of record 0: the token is over other data"));
    }

    /** A log of 10 records with checkpoints at 3, 7 and 10. */
    private static Path logWithCheckpoints(Path data) throws IOException {
        try (EvidenceLog log = EvidenceLog.open(data, ORIGIN)) {
            fill(log, 0, 3);
            log.checkpoint();
            fill(log, 3, 7);
            log.checkpoint();
            fill(log, 7, 10);
            log.checkpoint();
            assertThat(log.audit().ok()).isTrue();
        }
        return data.resolve("evidence");
    }

    private static AuditReport audit(Path data) throws IOException {
        return EvidenceLog.audit(data, EvidenceLog.publicKey(data).orElseThrow());
    }

    private static List<byte[]> frames(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            List<byte[]> out = new ArrayList<>();
            for (Frames.Frame fr : Frames.scan(ch).frames()) out.add(fr.payload());
            return out;
        }
    }

    private static void writeFrames(Path f, List<byte[]> payloads) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] p : payloads) Frames.writeFully(ch, Frames.frame(p));
        }
    }

    private static void appendBytes(Path f, byte[] b) throws IOException {
        Files.write(f, b, StandardOpenOption.APPEND);
    }

    private static void truncate(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
