package dev.sealpost.evidence.receipt;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.json.Json;
import dev.sealpost.evidence.json.JsonParser;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.merkle.MerkleHash;
import dev.sealpost.evidence.merkle.MerkleProofs;
import dev.sealpost.evidence.merkle.Verification;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.record.RecordSignature;
import dev.sealpost.evidence.sign.Ed25519PublicKey;
import dev.sealpost.evidence.tsa.TimeStampVerifier;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Building proof and receipt JSON from the log, and verifying a receipt offline. */
public final class Receipts {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private Receipts() {}

    /**
     * The inclusion proof JSON of record {@code index} against a published checkpoint of
     * {@code treeSize} (the latest covering checkpoint when null). The checkpoint must have been
     * published; a writable log publishes one for its current size when needed.
     */
    public static Map<String, Object> proof(EvidenceLog log, long index, Long treeSize) throws IOException {
        String note = checkpointFor(log, index, treeSize);
        if (!(Checkpoint.open(note, log.key().publicKey()) instanceof Checkpoint.Valid valid)) {
            throw new IOException("the stored checkpoint does not verify; run 'evidence audit'");
        }
        Checkpoint c = valid.checkpoint();
        Map<String, Object> m = new TreeMap<>();
        m.put("leaf_index", index);
        m.put("tree_size", c.size());
        m.put("leaf_hash", B64.encodeToString(log.read(index).leafHash()));
        m.put("root_hash", B64.encodeToString(c.root()));
        List<Object> path = new ArrayList<>();
        for (byte[] h : log.inclusionProof(index, c.size())) path.add(B64.encodeToString(h));   // RFC 9162 §2.1.3.1: from the leaf up
        m.put("inclusion_path", path);
        m.put("checkpoint", note);
        return m;
    }

    private static String checkpointFor(EvidenceLog log, long index, Long treeSize) throws IOException {
        if (treeSize == null) {
            if (log.readOnly()) {
                for (String n : log.checkpoints().reversed()) if (size(n) > index) return n;
                throw new IOException("no published checkpoint covers record " + index + " yet");
            }
            return log.checkpointCovering(index);
        }
        if (treeSize <= index) throw new IllegalArgumentException("tree size " + treeSize + " does not hold record " + index);
        for (String n : log.checkpoints()) if (size(n) == treeSize) return n;
        if (treeSize == log.size() && !log.readOnly()) return log.checkpoint();
        throw new IllegalArgumentException("no checkpoint of tree size " + treeSize + " was published");
    }

    private static long size(String note) {
        return Long.parseLong(note.split("\n", 3)[1]);
    }

    /** RFC 9162 §2.1.4.1: the consistency proof JSON between two sizes. */
    public static Map<String, Object> consistency(EvidenceLog log, long oldSize, long newSize) {
        if (oldSize < 1 || newSize < oldSize || newSize > log.size()) {
            throw new IllegalArgumentException("sizes must satisfy 1 <= OLD <= NEW <= " + log.size());
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("old_size", oldSize);
        m.put("new_size", newSize);
        m.put("old_root", B64.encodeToString(log.root(oldSize)));
        m.put("new_root", B64.encodeToString(log.root(newSize)));
        List<Object> proof = new ArrayList<>();
        for (byte[] h : log.consistencyProof(oldSize, newSize)) proof.add(B64.encodeToString(h));
        m.put("proof", proof);
        return m;
    }

    /** A receipt: the proof JSON plus {@code record} and {@code record_signature}, and {@code timestamp_token} (given, or stored with the record). */
    public static Map<String, Object> receipt(EvidenceLog log, String id, byte[] timestampToken) throws IOException {
        EvidenceLog.Stored s = log.read(id).orElseThrow(() -> new IllegalArgumentException("no record " + id));
        Map<String, Object> m = new TreeMap<>(proof(log, s.index(), null));
        m.put("record", JsonParser.parseOrThrow(new String(s.bytes(), java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, Object> sig = new TreeMap<>();
        sig.put("key", s.signature().keyName());
        sig.put("key_hash", s.signature().keyHash());
        sig.put("signature", s.signature().signature());
        m.put("record_signature", sig);
        byte[] token = timestampToken != null ? timestampToken : log.timestampToken(s.index()).orElse(null);
        if (token != null) {
            m.put("timestamp_token", B64.encodeToString(token));
        } else {
            long cpSize = (Long) m.get("tree_size");
            var stamp = log.treeStamp(cpSize).or(() -> covering(log, s.index()));
            stamp.ifPresent(st -> m.put("timestamp", treeTimestamp(log, s.index(), cpSize, st)));
        }
        return m;
    }

    private static java.util.Optional<EvidenceLog.TreeStamp> covering(EvidenceLog log, long index) {
        try {
            return log.treeStampCovering(index);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A tree-head time stamp for a receipt: the RFC 3161 token over the root hash of
     * {@code tree_size} records, the record's inclusion proof in that tree, and the consistency
     * proof between that tree and the receipt's checkpoint (RFC 9162 §2.1.4; empty when the same).
     */
    private static Map<String, Object> treeTimestamp(EvidenceLog log, long index, long checkpointSize, EvidenceLog.TreeStamp st) {
        Map<String, Object> t = new TreeMap<>();
        t.put("over", "tree_head");
        t.put("tree_size", st.treeSize());
        t.put("root_hash", B64.encodeToString(st.rootHash()));
        t.put("token", B64.encodeToString(st.token()));
        List<Object> path = new ArrayList<>();
        for (byte[] h : log.inclusionProof(index, st.treeSize())) path.add(B64.encodeToString(h));
        t.put("inclusion_path", path);
        List<Object> cons = new ArrayList<>();
        if (st.treeSize() != checkpointSize) {
            for (byte[] h : log.consistencyProof(Math.min(st.treeSize(), checkpointSize), Math.max(st.treeSize(), checkpointSize))) {
                cons.add(B64.encodeToString(h));
            }
        }
        t.put("consistency_path", cons);
        return t;
    }

    /** One named check of a receipt and its outcome. */
    public record Check(String name, boolean ok, String detail) {}

    /** Every check, in order; the receipt is good when all are ok. */
    public record Report(List<Check> checks, EvidenceRecord record) {
        public boolean ok() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }
    }

    /**
     * Verifies a receipt offline: the record's canonical form, its signature and leaf, the
     * checkpoint's signature, the inclusion proof against it; with {@code message} the message's
     * SHA-256; with {@code tsaCa} the time-stamp token.
     */
    public static Report verify(String receiptJson, Ed25519PublicKey logKey, byte[] message, X509Certificate tsaCa) {
        return verify(receiptJson, logKey, List.of(), message, tsaCa);
    }

    /**
     * As {@link #verify(String, Ed25519PublicKey, byte[], X509Certificate)}, with the domains'
     * record keys (current and past, from {@code /evidence/keys}): a record signed by a domain key
     * is checked with the one of them that its signature names (name and key hash).
     */
    public static Report verify(String receiptJson, Ed25519PublicKey logKey, List<Ed25519PublicKey> recordKeys, byte[] message,
                                X509Certificate tsaCa) {
        List<Check> checks = new ArrayList<>();
        if (!(JsonParser.parse(receiptJson) instanceof JsonParser.Parsed p) || !(p.value() instanceof Map<?, ?> m)) {
            checks.add(new Check("receipt", false, "not a JSON object"));
            return new Report(checks, null);
        }
        EvidenceRecord record = null;
        byte[] bytes = null;
        try {
            bytes = CanonicalJson.bytes(m.get("record") == null ? Json.NULL : m.get("record"));
            switch (EvidenceRecord.parse(bytes)) {
                case EvidenceRecord.Parsed r -> {
                    record = r.record();
                    checks.add(new Check("record", true, record.event().wire() + " " + record.id() + " at " + record.toJson().get("time")));
                }
                case EvidenceRecord.Invalid i -> checks.add(new Check("record", false, i.reason()));
            }
        } catch (IllegalArgumentException e) {
            checks.add(new Check("record", false, e.getMessage()));
        }
        if (record == null) return new Report(checks, null);

        if (m.get("record_signature") instanceof Map<?, ?> sig && sig.get("key") instanceof String k
                && sig.get("key_hash") instanceof String h && sig.get("signature") instanceof String sv) {
            Ed25519PublicKey signer = logKey;
            for (Ed25519PublicKey rk : recordKeys) {
                if (rk.name().equals(k) && java.util.HexFormat.of().formatHex(rk.keyHash()).equals(h)) signer = rk;
            }
            boolean ok = new RecordSignature(k, h, sv).verify(signer, bytes);
            checks.add(new Check("record signature", ok, ok ? "Ed25519 by " + k + "+" + h : "does not verify with " + signer.verifierKey()
                    + (signer == logKey && !k.equals(logKey.name()) ? " (the record names key " + k + "+" + h + ": give its verifier key)" : "")));
        } else {
            checks.add(new Check("record signature", false, "missing or malformed"));
        }

        byte[] leaf = MerkleHash.leafHash(bytes);
        byte[] claimedLeaf = b64(m.get("leaf_hash"));
        checks.add(new Check("leaf hash", claimedLeaf != null && MessageDigest.isEqual(leaf, claimedLeaf),
                "RFC 9162 leaf of the record's canonical bytes"));

        Checkpoint cp = null;
        if (m.get("checkpoint") instanceof String note) {
            switch (Checkpoint.open(note, logKey)) {
                case Checkpoint.Valid v -> {
                    cp = v.checkpoint();
                    checks.add(new Check("checkpoint", true, "signed by " + logKey.name() + ", tree size " + cp.size()));
                }
                case Checkpoint.Invalid i -> checks.add(new Check("checkpoint", false, i.reason()));
            }
        } else {
            checks.add(new Check("checkpoint", false, "missing"));
        }
        if (cp != null) {
            boolean sameHead = m.get("tree_size") instanceof Long ts && ts == cp.size()
                    && b64(m.get("root_hash")) instanceof byte[] rh && MessageDigest.isEqual(rh, cp.root());
            checks.add(new Check("tree head", sameHead, "tree_size and root_hash are the checkpoint's"));
            List<byte[]> path = new ArrayList<>();
            boolean pathOk = m.get("inclusion_path") instanceof List<?> l;
            if (pathOk) {
                for (Object o : (List<?>) m.get("inclusion_path")) {
                    byte[] h = b64(o);
                    if (h == null) pathOk = false;
                    else path.add(h);
                }
            }
            long index = m.get("leaf_index") instanceof Long li ? li : -1;
            Verification v = pathOk ? MerkleProofs.verifyInclusion(index, cp.size(), leaf, path, cp.root())
                    : Verification.invalid("inclusion_path is not an array of base64 hashes");
            checks.add(new Check("inclusion proof", v.valid(), v instanceof Verification.Invalid i ? i.reason()
                    : "record " + index + " is in the tree of " + cp.size()));
        }

        if (message != null) {
            boolean same = EvidenceRecord.sha256Hex(message).equals(record.sha256());
            checks.add(new Check("message", same, same ? "its SHA-256 is the record's" : "its SHA-256 is not the record's: the message differs"));
        }
        if (tsaCa != null) {
            byte[] token = b64(m.get("timestamp_token"));
            if (token == null && m.get("timestamp") instanceof Map<?, ?> ts) {
                checks.add(verifyTreeTimestamp(ts, m, leaf, cp, tsaCa));
            } else if (token == null) {
                checks.add(new Check("time stamp", false, "the receipt has no timestamp_token or timestamp"));
            } else {
                switch (TimeStampVerifier.verify(token, MerkleHash.sha256(bytes), tsaCa)) {
                    case TimeStampVerifier.Valid v -> checks.add(new Check("time stamp", true, "RFC 3161 token of " + v.time() + " by " + v.tsa()));
                    case TimeStampVerifier.Invalid i -> checks.add(new Check("time stamp", false, i.reason()));
                }
            }
        }
        return new Report(checks, record);
    }

    /**
     * A tree-head time stamp: the token is over {@code root_hash} (RFC 3161 messageImprint), the
     * record is in that tree (RFC 9162 §2.1.3.2), and that tree is consistent with the receipt's
     * signed checkpoint (§2.1.4.2), so the checkpoint's log dates the record no later than the token.
     */
    private static Check verifyTreeTimestamp(Map<?, ?> ts, Map<?, ?> m, byte[] leaf, Checkpoint cp, X509Certificate tsaCa) {
        byte[] token = b64(ts.get("token"));
        byte[] root = b64(ts.get("root_hash"));
        long size = ts.get("tree_size") instanceof Long l ? l : -1;
        long index = m.get("leaf_index") instanceof Long li ? li : -1;
        List<byte[]> path = hashes(ts.get("inclusion_path"));
        List<byte[]> cons = hashes(ts.get("consistency_path"));
        if (token == null || root == null || root.length != MerkleHash.SIZE || size < 1 || path == null || cons == null) {
            return new Check("time stamp", false, "timestamp is missing token, root_hash, tree_size or a proof");
        }
        TimeStampVerifier.Valid v;
        switch (TimeStampVerifier.verify(token, root, tsaCa)) {
            case TimeStampVerifier.Valid ok -> v = ok;
            case TimeStampVerifier.Invalid bad -> {
                return new Check("time stamp", false, bad.reason());
            }
        }
        Verification inc = MerkleProofs.verifyInclusion(index, size, leaf, path, root);
        if (inc instanceof Verification.Invalid i) return new Check("time stamp", false, "the record is not in the stamped tree: " + i.reason());
        if (cp == null) return new Check("time stamp", false, "no valid checkpoint to tie the stamped tree to");
        Verification c;
        if (size == cp.size()) {
            c = MessageDigest.isEqual(root, cp.root()) ? Verification.VALID : Verification.invalid("the stamped root is not the checkpoint's");
        } else if (size < cp.size()) {
            c = MerkleProofs.verifyConsistency(size, cp.size(), root, cp.root(), cons);
        } else {
            c = MerkleProofs.verifyConsistency(cp.size(), size, cp.root(), root, cons);
        }
        if (c instanceof Verification.Invalid i) return new Check("time stamp", false, "the stamped tree is not consistent with the checkpoint: " + i.reason());
        return new Check("time stamp", true, "RFC 3161 token of " + v.time() + " by " + v.tsa() + " over the root of " + size + " records");
    }

    private static List<byte[]> hashes(Object o) {
        if (!(o instanceof List<?> l)) return null;
        List<byte[]> out = new ArrayList<>();
        for (Object x : l) {
            byte[] h = b64(x);
            if (h == null) return null;
            out.add(h);
        }
        return out;
    }

    private static byte[] b64(Object o) {
        if (!(o instanceof String s)) return null;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
