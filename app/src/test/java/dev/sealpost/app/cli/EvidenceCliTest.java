package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.evidence.json.JsonParser;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.merkle.MerkleProofs;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost evidence ...} on a data directory holding a log, as an administrator or a receipt holder types them. */
class EvidenceCliTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    static final byte[] MESSAGE = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    int run(String... args) {
        out.reset();
        err.reset();
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--data", dir.toString()));
        return Main.run(full.toArray(String[]::new));
    }

    int runBare(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    static EvidenceRecord record(int i) {
        return new EvidenceRecord("r" + i, EvidenceEvent.SUBMISSION_ACCEPTANCE, Instant.parse("2026-12-07T21:00:00Z").plusSeconds(i),
                "<m" + (i % 2) + "@example.test>", EvidenceRecord.sha256Hex(i == 3 ? MESSAGE : new byte[] {(byte) i}), "alice@example.test",
                List.of("bob@example.org"), "alice@example.test", "192.0.2.9", null);
    }

    @Test
    void showProveConsistencyReceiptVerifyAuditAndLogKey() throws Exception {
        String cp3;
        try (EvidenceLog log = EvidenceLog.open(dir, "mail.example.test/evidence")) {
            for (int i = 0; i < 3; i++) log.append(record(i));
            cp3 = log.checkpoint();
            for (int i = 3; i < 7; i++) log.append(record(i));
        }
        assertThat(run("evidence", "log-key")).isZero();
        String logKey = out().strip();
        assertThat(logKey).startsWith("mail.example.test/evidence+");
        Files.writeString(elsewhere.resolve("log.pub"), logKey + "\n");

        assertThat(run("evidence", "show", "r3", "--json")).isZero();
        assertThat(out().strip()).isEqualTo(new String(record(3).canonicalBytes(), StandardCharsets.UTF_8));
        assertThat(run("evidence", "show", "--message-id", "<m1@example.test>", "--json")).isZero();
        assertThat((List<?>) JsonParser.parseOrThrow(out())).hasSize(3);
        assertThat(run("evidence", "show", "r3")).isZero();
        assertThat(out()).contains("record r3 (leaf 3)").contains("event: SubmissionAcceptance");
        assertThat(run("evidence", "show", "nope")).isEqualTo(2);

        assertThat(run("evidence", "proof", "r3", "--json")).isZero();
        Map<?, ?> p = (Map<?, ?>) JsonParser.parseOrThrow(out());
        assertThat(List.<Object>copyOf(p.keySet())).containsExactlyInAnyOrder("leaf_index", "tree_size", "leaf_hash", "root_hash", "inclusion_path", "checkpoint");
        assertThat(p.get("tree_size")).isEqualTo(7L);
        List<byte[]> path = ((List<?>) p.get("inclusion_path")).stream().map(o -> Base64.getDecoder().decode((String) o)).toList();
        assertThat(MerkleProofs.verifyInclusion(3, 7, Base64.getDecoder().decode((String) p.get("leaf_hash")), path,
                Base64.getDecoder().decode((String) p.get("root_hash"))).valid()).isTrue();
        assertThat(run("evidence", "proof", "r1", "--tree-size", "3", "--json")).isZero();
        assertThat(((Map<?, ?>) JsonParser.parseOrThrow(out())).get("checkpoint")).isEqualTo(cp3);
        assertThat(run("evidence", "proof", "r1", "--tree-size", "5", "--json")).isEqualTo(2);

        assertThat(run("evidence", "consistency", "3", "7", "--json")).isZero();
        Map<?, ?> c = (Map<?, ?>) JsonParser.parseOrThrow(out());
        assertThat(List.<Object>copyOf(c.keySet())).containsExactlyInAnyOrder("old_size", "new_size", "old_root", "new_root", "proof");
        List<byte[]> cproof = ((List<?>) c.get("proof")).stream().map(o -> Base64.getDecoder().decode((String) o)).toList();
        assertThat(MerkleProofs.verifyConsistency(3, 7, Base64.getDecoder().decode((String) c.get("old_root")),
                Base64.getDecoder().decode((String) c.get("new_root")), cproof).valid()).isTrue();

        Path receipt = elsewhere.resolve("receipt.json");
        assertThat(run("evidence", "receipt", "r3", "--out", receipt.toString())).isZero();
        Files.write(elsewhere.resolve("message.eml"), MESSAGE);
        // Offline: only the receipt, the log key and the message; no data directory.
        assertThat(runBare("evidence", "verify", receipt.toString(), "--log-key", elsewhere.resolve("log.pub").toString(),
                "--message", elsewhere.resolve("message.eml").toString())).as(out()).isZero();
        assertThat(out()).contains("ok    inclusion proof").contains("ok    message").contains("receipt verified");
        byte[] changed = MESSAGE.clone();
        changed[16] ^= 1;   // one bit
        Files.write(elsewhere.resolve("message.eml"), changed);
        assertThat(runBare("evidence", "verify", receipt.toString(), "--log-key", elsewhere.resolve("log.pub").toString(),
                "--message", elsewhere.resolve("message.eml").toString())).isEqualTo(1);
        assertThat(out()).contains("FAIL  message").contains("receipt NOT verified");

        assertThat(run("evidence", "audit")).isZero();
        assertThat(out()).contains("7 records, 7 leaves").contains("audit passed");
        byte[] leaves = Files.readAllBytes(dir.resolve("evidence/leaves"));
        leaves[40] ^= 1;
        Files.write(dir.resolve("evidence/leaves"), leaves);
        assertThat(run("evidence", "audit")).isEqualTo(1);
        assertThat(out()).contains("PROBLEM record 1 does not match leaf 1");
    }

    @Test
    void besideARunningWriterTheCliReadsOnly() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, "mail.example.test/evidence")) {
            for (int i = 0; i < 4; i++) log.append(record(i));
            assertThat(run("evidence", "proof", "r2", "--json")).isEqualTo(2);   // no checkpoint yet, and it may not publish one
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("the server publishes checkpoints");
            log.checkpoint();
            assertThat(run("evidence", "proof", "r2", "--json")).isZero();
            assertThat(((Map<?, ?>) JsonParser.parseOrThrow(out())).get("tree_size")).isEqualTo(4L);
            assertThat(run("evidence", "show", "r0", "--json")).isZero();
        }
        assertThat(run("evidence", "log-key")).isZero();
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThat(Main.run("evidence", "audit", "--data", empty.toString())).isEqualTo(2);
    }
}
