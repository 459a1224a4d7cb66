package dev.sealpost.evidence.log;

import dev.sealpost.evidence.merkle.MerkleHash;
import dev.sealpost.evidence.merkle.MerkleTree;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.sign.Ed25519PublicKey;

import dev.sealpost.evidence.tsa.TimeStampVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The audit: reads the log's files afresh (not the open log's memory), recomputes every leaf
 * from its record and the tree from the leaves (RFC 9162 §2.1), and compares with every stored
 * checkpoint. Editing, deleting or reordering a record or a leaf, or rolling the files back
 * behind a published checkpoint, shows as a problem.
 */
final class LogAudit {
    private static final int MAX_REPORTED = 100;

    private LogAudit() {}

    static AuditReport audit(Path dir, Ed25519PublicKey logKey) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Frames.Frame> recordFrames;
        try (FileChannel ch = FileChannel.open(dir.resolve("records"), StandardOpenOption.READ)) {
            Frames.Scan s = Frames.scan(ch);
            recordFrames = s.frames();
            if (s.corruption() != null) add(problems, "records: " + s.corruption() + "; records after it were not read");
            else if (s.tornTail()) add(problems, "records: an incomplete frame at the end (byte " + s.goodEnd() + ")");
        }
        byte[] leafBytes = Files.readAllBytes(dir.resolve("leaves"));
        if (leafBytes.length % MerkleHash.SIZE != 0) add(problems, "leaves: the file is not a whole number of 32-byte hashes");
        int leafCount = leafBytes.length / MerkleHash.SIZE;
        if (leafCount != recordFrames.size()) add(problems, recordFrames.size() + " records but " + leafCount + " leaves");

        dev.sealpost.evidence.sign.RecordKeys recordKeys;
        try {
            recordKeys = dev.sealpost.evidence.sign.RecordKeys.load(dir);
        } catch (IOException e) {
            add(problems, "keys: " + e.getMessage());
            recordKeys = null;
        }
        final dev.sealpost.evidence.sign.RecordKeys rk = recordKeys;
        java.util.function.Function<byte[], java.util.Optional<Ed25519PublicKey>> keyOf = h -> Arrays.equals(h, logKey.keyHash())
                ? java.util.Optional.of(logKey) : rk == null ? java.util.Optional.empty() : rk.byHash(h);
        List<byte[]> recordBytes = new ArrayList<>();
        MerkleTree fromRecords = new MerkleTree();
        MerkleTree fromLeaves = new MerkleTree();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < leafCount; i++) fromLeaves.appendLeafHash(Arrays.copyOfRange(leafBytes, i * 32, i * 32 + 32));
        int pruned = 0;
        for (int i = 0; i < recordFrames.size(); i++) {
            byte[] payload = recordFrames.get(i).payload();
            if (EvidenceLog.isPruned(payload)) {
                // retention: the record's contents are gone, its leaf stays; only a prefix may be pruned
                byte[] kept = Arrays.copyOfRange(payload, EvidenceLog.PRUNED.length, payload.length);
                fromRecords.appendLeafHash(kept);
                while (recordBytes.size() < i) recordBytes.add(null);
                recordBytes.add(null);
                if (i != pruned) add(problems, "record " + i + " is pruned after a kept record (pruning takes the oldest records only)");
                if (i < leafCount && !MessageDigest.isEqual(kept, fromLeaves.leafHash(i))) {
                    add(problems, "pruned record " + i + " keeps another leaf than leaf " + i);
                }
                pruned++;
                continue;
            }
            if (payload.length <= EvidenceLog.SIG_TRAILER) {
                add(problems, "record " + i + ": frame too short");
                fromRecords.appendLeafHash(new byte[32]);
                continue;
            }
            byte[] bytes = Arrays.copyOf(payload, payload.length - EvidenceLog.SIG_TRAILER);
            while (recordBytes.size() < i) recordBytes.add(null);
            recordBytes.add(bytes);
            byte[] leaf = MerkleHash.leafHash(bytes);
            fromRecords.appendLeafHash(leaf);
            if (i < leafCount && !MessageDigest.isEqual(leaf, fromLeaves.leafHash(i))) {
                add(problems, "record " + i + " does not match leaf " + i + " (a record or a leaf was changed, removed or moved)");
            }
            EvidenceLog.Stored s;
            try {
                s = EvidenceLog.decode(i, payload, leaf, h -> keyOf.apply(h).map(Ed25519PublicKey::name).orElse("unknown"));
            } catch (IOException e) {
                add(problems, "record " + i + ": " + e.getMessage());
                continue;
            }
            java.util.Optional<Ed25519PublicKey> signer = keyOf.apply(HexFormat.of().parseHex(s.signature().keyHash()));
            if (signer.isEmpty()) {
                add(problems, "record " + i + " (" + s.record().id() + "): signed by key " + s.signature().keyHash() + ", which is neither the log key nor a record key in keys/");
            } else if (!s.signature().verify(signer.get(), bytes)) {
                add(problems, "record " + i + " (" + s.record().id() + "): its signature does not verify");
            }
            Integer before = ids.putIfAbsent(s.record().id(), i);
            if (before != null) add(problems, "record " + i + " repeats the id " + s.record().id() + " of record " + before);
        }

        List<Frames.Frame> cps;
        try (FileChannel ch = FileChannel.open(dir.resolve("checkpoints"), StandardOpenOption.READ)) {
            Frames.Scan s = Frames.scan(ch);
            cps = s.frames();
            if (s.corruption() != null) add(problems, "checkpoints: " + s.corruption());
            else if (s.tornTail()) add(problems, "checkpoints: an incomplete frame at the end");
        }
        long lastSize = -1;
        for (int j = 0; j < cps.size(); j++) {
            String note = new String(cps.get(j).payload(), StandardCharsets.UTF_8);
            Checkpoint c;
            switch (Checkpoint.open(note, logKey)) {
                case Checkpoint.Invalid bad -> {
                    add(problems, "checkpoint " + j + ": " + bad.reason());
                    continue;
                }
                case Checkpoint.Valid v -> c = v.checkpoint();
            }
            if (c.size() < lastSize) add(problems, "checkpoint " + j + " (size " + c.size() + ") is smaller than the one before (" + lastSize + ")");
            lastSize = Math.max(lastSize, c.size());
            if (c.size() > fromRecords.size() || c.size() > fromLeaves.size()) {
                add(problems, "checkpoint " + j + " is for " + c.size() + " records but the log holds " + fromRecords.size()
                        + " records and " + fromLeaves.size() + " leaves (records removed or the log rolled back)");
                continue;
            }
            if (!MessageDigest.isEqual(fromRecords.root(c.size()), c.root())) {
                add(problems, "checkpoint " + j + " (size " + c.size() + "): the records no longer have its root");
            }
            if (!MessageDigest.isEqual(fromLeaves.root(c.size()), c.root())) {
                add(problems, "checkpoint " + j + " (size " + c.size() + "): the leaves no longer have its root");
            }
        }
        if (Files.exists(dir.resolve("timestamps")) || Files.exists(dir.resolve("tree-timestamps"))) {
            X509Certificate ca = tsaCa(dir, problems); // read once for both kinds of token
            auditTimestamps(dir, ca, recordBytes, pruned, problems);
            auditTreeTimestamps(dir, ca, fromRecords, problems);
        }
        return new AuditReport(recordFrames.size(), leafCount, cps.size(), problems);
    }

    /** The log's TSA CA ({@code tsa/ca.pem}), or null when there is none or it is not a certificate (then a problem says so). */
    private static X509Certificate tsaCa(Path dir, List<String> problems) throws IOException {
        Path caFile = dir.resolve("tsa").resolve("ca.pem");
        if (!Files.exists(caFile)) return null;
        try (InputStream in = Files.newInputStream(caFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            add(problems, "tsa/ca.pem is not a certificate: " + e.getMessage());
            return null;
        }
    }

    /** RFC 3161 tokens stored with records: each must be over its record and from the log's TSA CA (when {@code tsa/ca.pem} is there). */
    private static void auditTimestamps(Path dir, X509Certificate ca, List<byte[]> recordBytes, int pruned, List<String> problems) throws IOException {
        Path file = dir.resolve("timestamps");
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Frames.Scan s = Frames.scan(ch);
            if (s.corruption() != null) add(problems, "timestamps: " + s.corruption());
            for (Frames.Frame f : s.frames()) {
                long index = f.payload().length >= 8 ? java.nio.ByteBuffer.wrap(f.payload()).getLong() : -1;
                if (index >= 0 && index < pruned) continue;   // its record was pruned: nothing left to check the token against
                if (index < 0 || index >= recordBytes.size() || recordBytes.get((int) index) == null) {
                    add(problems, "a time-stamp token for record " + index + ", which the log does not hold");
                    continue;
                }
                if (ca == null) continue;
                byte[] token = Arrays.copyOfRange(f.payload(), 8, f.payload().length);
                if (TimeStampVerifier.verify(token, MerkleHash.sha256(recordBytes.get((int) index)), ca) instanceof TimeStampVerifier.Invalid bad) {
                    add(problems, "the time-stamp token of record " + index + ": " + bad.reason());
                }
            }
        }
    }

    /** Tree-head tokens: each must be over the root hash the records give for its tree size, from the log's TSA CA. */
    private static void auditTreeTimestamps(Path dir, X509Certificate ca, MerkleTree fromRecords, List<String> problems) throws IOException {
        Path file = dir.resolve("tree-timestamps");
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Frames.Scan s = Frames.scan(ch);
            if (s.corruption() != null) add(problems, "tree-timestamps: " + s.corruption());
            for (Frames.Frame f : s.frames()) {
                long size = f.payload().length >= 8 ? java.nio.ByteBuffer.wrap(f.payload()).getLong() : -1;
                if (size < 1 || size > fromRecords.size()) {
                    add(problems, "a time-stamp token for a tree of " + size + " records, which the log does not hold (records removed or rolled back)");
                    continue;
                }
                if (ca == null) continue;
                byte[] token = Arrays.copyOfRange(f.payload(), 8, f.payload().length);
                if (TimeStampVerifier.verify(token, fromRecords.root(size), ca) instanceof TimeStampVerifier.Invalid bad) {
                    add(problems, "the time-stamp token of the tree of " + size + " records: " + bad.reason());
                }
            }
        }
    }

    private static void add(List<String> problems, String p) {
        if (problems.size() < MAX_REPORTED) problems.add(p);
        else if (problems.size() == MAX_REPORTED) problems.add("... more problems not listed");
    }
}
