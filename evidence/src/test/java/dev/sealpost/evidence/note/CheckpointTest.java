package dev.sealpost.evidence.note;

import dev.sealpost.evidence.merkle.MerkleTree;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.sign.Ed25519PublicKey;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed notes and checkpoints: the Go reference note reproduced, strict parsing, and our signed
 * checkpoint checked by an independent implementation (a Python script on the {@code cryptography}
 * package, run as a separate process).
 */
class CheckpointTest {
    static final String GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    @Test
    void goReferenceNoteIsReproducedAndOpens() {
        Ed25519Key k = Ed25519Key.parsePrivate(SKEY).orElseThrow();
        assertThat(SignedNote.sign(GO_TEXT, k)).isEqualTo(GO_NOTE);
        assertThat(SignedNote.open(GO_NOTE, List.of(k.publicKey()))).isInstanceOf(SignedNote.Verified.class);
        assertThat(((SignedNote.Verified) SignedNote.open(GO_NOTE, List.of(k.publicKey()))).text()).isEqualTo(GO_TEXT);
    }

    @Test
    void tamperedOrUnknownNotesAreRejected() {
        Ed25519PublicKey pub = Ed25519Key.parsePrivate(SKEY).orElseThrow().publicKey();
        Ed25519PublicKey other = Ed25519Key.generate("PeterNeumann").publicKey();
        for (String bad : List.of(GO_NOTE.replace("cryptography", "Cryptography"), GO_NOTE.replace("x08go", "x08gp"),
                GO_NOTE.replace("\u2014 ", "- "), GO_NOTE.substring(0, GO_NOTE.length() - 1), GO_TEXT, "",
                GO_NOTE.replace("\n\n", "\n"), GO_NOTE.replace("problem,", "problem,\u0007"))) {
            assertThat(SignedNote.open(bad, List.of(pub))).as(bad).isInstanceOf(SignedNote.Rejected.class);
        }
        assertThat(SignedNote.open(GO_NOTE, List.of(other))).isInstanceOf(SignedNote.Rejected.class);
        // A second signature by an unknown key is kept, unverified.
        String two = GO_NOTE + "\u2014 someone.else AAAAAQ" + "A".repeat(86) + "\n";
        assertThat(SignedNote.open(two, List.of(pub))).isInstanceOfSatisfying(SignedNote.Verified.class,
                v -> assertThat(v.unverified()).hasSize(1));
    }

    @Test
    void checkpointRoundTripAndStrictBody() {
        Ed25519Key key = Ed25519Key.generate("example.test/evidence");
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 5; i++) tree.appendLeaf(new byte[] {(byte) i});
        Checkpoint c = new Checkpoint("example.test/evidence", 5, tree.root());
        String note = c.sign(key);
        assertThat(note).startsWith("example.test/evidence\n5\n");
        assertThat(Checkpoint.open(note, key.publicKey())).isEqualTo(new Checkpoint.Valid(c, note));
        assertThat(Checkpoint.open(note, Ed25519Key.generate("example.test/evidence").publicKey())).isInstanceOf(Checkpoint.Invalid.class);
        String body = c.body();
        for (String bad : List.of(body.replace("\n5\n", "\n05\n"), body.replace("\n5\n", "\n-5\n"), body.replace("\n5\n", "\n\n"),
                "example.test/evidence\n5\n", body.replace("=\n", "\n"), body + "\n", "\n5\n" + body.substring(body.indexOf("\n5\n") + 3),
                body.replace("\n5\n", "\n99999999999999999999\n"))) {
            assertThat(Checkpoint.parseBody(bad)).as(bad).isInstanceOf(Checkpoint.Invalid.class);
        }
        assertThat(Checkpoint.parseBody(body + "ext one\n")).isInstanceOf(Checkpoint.Valid.class);
    }

    @Test
    void independentPythonImplementationVerifiesOurCheckpoint(@TempDir Path dir) throws Exception {
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("python3", "-c", "import cryptography.hazmat.primitives.asymmetric.ed25519"), dir, 30);
        Peers.require(probe.exit() == 0, "Python's cryptography package (pip install cryptography)");
        Path script = dir.resolve("verify_checkpoint.py");
        try (InputStream in = dev.sealpost.testkit.Peers.class.getResourceAsStream("verify_checkpoint.py")) {
            Files.copy(in, script);
        }
        Ed25519Key key = Ed25519Key.generate("log.example.test/evidence");
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 1000; i++) tree.appendLeaf(("record " + i).getBytes(StandardCharsets.UTF_8));
        Checkpoint c = new Checkpoint(key.name(), tree.size(), tree.root());
        Files.writeString(dir.resolve("checkpoint"), c.sign(key));
        Files.writeString(dir.resolve("log.pub"), key.publicKey().verifierKey() + "\n");

        Peers.Result r = Peers.run(List.of("python3", script.toString(), "checkpoint", "log.pub"), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("key-hash " + HexFormat.of().formatHex(key.publicKey().keyHash()))
                .contains("origin log.example.test/evidence").contains("size 1000")
                .contains("root " + HexFormat.of().formatHex(tree.root())).contains("OK");

        // The same checker fails a checkpoint whose size was changed after signing.
        Files.writeString(dir.resolve("checkpoint"), c.sign(key).replace("\n1000\n", "\n1001\n"));
        Peers.Result bad = Peers.run(List.of("python3", script.toString(), "checkpoint", "log.pub"), dir, 60);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.output()).contains("FAIL signature does not verify");
    }

    @Test
    void signatureLineCarriesTheKeyHash() {
        // The key text's hash is what the signature line carries.
        Ed25519Key key = Ed25519Key.generate("a.test/log");
        String note = new Checkpoint("a.test/log", 0, dev.sealpost.evidence.merkle.MerkleHash.emptyRoot()).sign(key);
        String sigLine = note.substring(note.lastIndexOf('\u2014'));
        byte[] raw = java.util.Base64.getDecoder().decode(sigLine.substring(sigLine.lastIndexOf(' ') + 1).strip());
        assertThat(java.util.Arrays.copyOf(raw, 4)).isEqualTo(key.publicKey().keyHash());
    }
}
