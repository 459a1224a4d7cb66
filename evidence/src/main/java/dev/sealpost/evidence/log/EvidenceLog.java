package dev.sealpost.evidence.log;

import dev.sealpost.core.io.Fsync;
import dev.sealpost.evidence.merkle.MerkleHash;
import dev.sealpost.evidence.merkle.MerkleTree;
import dev.sealpost.evidence.note.Checkpoint;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.record.RecordSignature;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.tiles.Tiles;
import dev.sealpost.evidence.tsa.TimeStampAuthority;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable, append-only evidence log in {@code <data>/evidence/}:
 * <ul>
 * <li>{@code records}: frames of {@code record bytes || key hash (4) || Ed25519 signature (64)};
 * <li>{@code leaves}: the RFC 9162 leaf hash of each record, 32 bytes each, in the same order;
 * <li>{@code checkpoints}: frames of every signed checkpoint published (C2SP tlog-checkpoint);
 * <li>{@code log-key}: the log's Ed25519 key as C2SP signed-note private key text (owner-only),
 * named after the log's origin;
 * <li>{@code timestamps}: with a TSA stamping each record, frames of {@code record index (u64) || RFC 3161 token};
 * <li>{@code tree-timestamps}: with a TSA stamping tree heads, frames of {@code tree size (u64) || RFC 3161
 * token over the RFC 9162 root hash of that many records}.
 * </ul>
 * {@link #append} returns once the record and its leaf are fsync'd. Nothing is ever rewritten;
 * opening cuts off only a torn tail (see {@link Recovery}). One writer at a time (a lock); reads
 * may run beside it.
 */
public final class EvidenceLog implements Closeable {
    static final int SIG_TRAILER = 4 + 64;
    /** A pruned record's frame payload: this marker and the record's 32-byte leaf hash (retention, {@link #prune}). */
    static final byte[] PRUNED = {0, 'P', 'R', 'U', 'N', 'E', 'D', 0};

    private final Path dir;
    private final Ed25519Key key;
    private final FileChannel records;
    private final FileChannel leaves;
    private final FileChannel checkpoints;
    private final FileChannel timestamps;
    private final TimeStampAuthority tsa;
    private final Map<Long, Long> tokenOffsets = new HashMap<>();
    private final FileChannel treeTimestamps;
    private final java.util.TreeMap<Long, Long> treeStampOffsets = new java.util.TreeMap<>();
    private final boolean stampRecords;
    private final ReentrantLock stampLock = new ReentrantLock();
    private volatile dev.sealpost.evidence.sign.RecordKeys recordKeys;
    private long pruned;
    private final ReentrantLock lock = new ReentrantLock();
    private final MerkleTree tree = new MerkleTree();
    private final List<Long> offsets = new ArrayList<>();
    private final Map<String, Long> byId = new HashMap<>();
    private final List<String> checkpointNotes = new ArrayList<>();
    private final Recovery recovery;
    private final boolean readOnly;
    private final FileChannel lockFile;
    private IOException broken;

    /** What opening found and cut off (a torn tail after a crash), for the log line. */
    public record Recovery(long size, long recordBytesCut, long leafBytesCut, long checkpointBytesCut, boolean unpairedCut) {
        public boolean clean() {
            return recordBytesCut == 0 && leafBytesCut == 0 && checkpointBytesCut == 0 && !unpairedCut;
        }
    }

    /** What {@link #append} gives back: the record's position and leaf. */
    public record Appended(long index, byte[] leafHash, RecordSignature signature) {}

    private EvidenceLog(Path dir, Ed25519Key key, boolean readOnly, TimeStampAuthority tsa, boolean stampRecords) throws IOException {
        this.dir = dir;
        this.tsa = tsa;
        this.stampRecords = stampRecords;
        this.key = key;
        this.readOnly = readOnly;
        this.lockFile = readOnly ? null : lock(dir);
        try {
            this.records = open(dir.resolve("records"), readOnly);
            this.leaves = open(dir.resolve("leaves"), readOnly);
            this.checkpoints = open(dir.resolve("checkpoints"), readOnly);
            this.timestamps = readOnly && !Files.exists(dir.resolve("timestamps")) ? null : open(dir.resolve("timestamps"), readOnly);
            this.treeTimestamps = readOnly && !Files.exists(dir.resolve("tree-timestamps")) ? null : open(dir.resolve("tree-timestamps"), readOnly);
            this.recordKeys = dev.sealpost.evidence.sign.RecordKeys.load(dir);
            this.recovery = load();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Thrown when another process (the server) has the log open for writing. */
    public static final class LogInUseException extends IOException {
        LogInUseException(Path dir) {
            super("the evidence log " + dir + " is open for writing by another process");
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        // One writer per log, across processes: an exclusive lock on evidence/lock for the log's lifetime.
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) return ch;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by this JVM
        }
        ch.close();
        throw new LogInUseException(dir);
    }

    /**
     * Opens (creating when absent) the log in {@code dataDir/evidence}, with the log key named
     * {@code origin}. A log whose key has another name is a configuration fault (an exception
     * naming both); a log whose files are damaged other than at the tail does not open.
     */
    public static EvidenceLog open(Path dataDir, String origin) throws IOException {
        return open(dataDir, origin, null);
    }

    /**
     * Opens the log as {@link #open(Path, String)} does; with a time-stamping authority, every
     * record appended gets an RFC 3161 token over its SHA-256, stored (and fsync'd) with it.
     */
    public static EvidenceLog open(Path dataDir, String origin, TimeStampAuthority tsa) throws IOException {
        return open(dataDir, origin, tsa, true);
    }

    /**
     * Opens the log as {@link #open(Path, String)} does. With a time-stamping authority and
     * {@code stampEachRecord}, every record appended gets an RFC 3161 token over its SHA-256,
     * durable with it; without {@code stampEachRecord} the TSA stamps tree heads instead
     * ({@link #stampTree}: one token over the RFC 9162 root hash covers every record before it).
     */
    public static EvidenceLog open(Path dataDir, String origin, TimeStampAuthority tsa, boolean stampEachRecord) throws IOException {
        Path dir = dataDir.resolve("evidence");
        Files.createDirectories(dir);
        Ed25519Key key = loadOrCreateKey(dir.resolve("log-key"), origin);
        return new EvidenceLog(dir, key, false, tsa, stampEachRecord);
    }

    /**
     * Opens an existing log for reading only (the CLI beside a running server): no lock, no
     * writes; a torn tail is ignored rather than cut off. Empty when there is no log.
     */
    public static Optional<EvidenceLog> openReadOnly(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("evidence");
        Path keyFile = dir.resolve("log-key");
        if (!Files.exists(keyFile) || !Files.exists(dir.resolve("records"))) return Optional.empty();
        Ed25519Key key = Ed25519Key.parsePrivate(Files.readString(keyFile, StandardCharsets.UTF_8))
                .orElseThrow(() -> new IOException(keyFile + " is not a signed-note private key"));
        return Optional.of(new EvidenceLog(dir, key, true, null, false));
    }

    /** Opens an existing log for writing with the origin its key names; empty when there is no log. */
    public static Optional<EvidenceLog> openExisting(Path dataDir) throws IOException {
        Optional<dev.sealpost.evidence.sign.Ed25519PublicKey> k = publicKey(dataDir);
        if (k.isEmpty()) return Optional.empty();
        return Optional.of(open(dataDir, k.get().name()));
    }

    /** The time-stamping authority that stamps every record, if the log has one. */
    public Optional<TimeStampAuthority> tsa() {
        return Optional.ofNullable(tsa);
    }

    /** Whether every record appended gets its own RFC 3161 token (else the TSA, if any, stamps tree heads). */
    public boolean stampsEachRecord() {
        return tsa != null && stampRecords;
    }

    /** Whether this log was opened read-only. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The log key (signs checkpoints and records). */
    public Ed25519Key key() {
        return key;
    }

    public String origin() {
        return key.name();
    }

    public Path directory() {
        return dir;
    }

    public Recovery recovery() {
        return recovery;
    }

    /** The number of records. */
    public long size() {
        lock.lock();
        try {
            return tree.size();
        } finally {
            lock.unlock();
        }
    }

    /** Appends one record; durable (fsync'd with its leaf) when this returns. */
    public Appended append(EvidenceRecord record) throws IOException {
        return appendAll(List.of(record)).getFirst();
    }

    /**
     * Appends records in order with one fsync per file for all of them (group commit); durable
     * when this returns. A record id already in the log is refused (IllegalArgumentException), and
     * then nothing is appended.
     */
    public List<Appended> appendAll(List<EvidenceRecord> batch) throws IOException {
        return appendAll(batch, null);
    }

    /**
     * As {@link #appendAll(List)}, with the RFC 3161 tokens already made (by {@link #tsa()}, over
     * each record's SHA-256, one per record in order), so that callers stamp in parallel outside
     * the log's lock. Null: the log stamps them itself.
     */
    public List<Appended> appendAll(List<EvidenceRecord> batch, List<byte[]> stampedTokens) throws IOException {
        if (stampedTokens != null && (tsa == null || stampedTokens.size() != batch.size())) {
            throw new IllegalArgumentException("one token per record, and only for a log with a TSA");
        }
        List<Prepared> prepared = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EvidenceRecord r = batch.get(i);
            byte[] bytes = r.canonicalBytes();
            byte[] token = null;
            if (stampsEachRecord()) token = stampedTokens != null ? stampedTokens.get(i) : tsa.stamp(MerkleHash.sha256(bytes)).token();
            prepared.add(new Prepared(r, bytes, RecordSignature.sign(key, bytes), token));
        }
        return appendPrepared(prepared);
    }

    /**
     * A record made ready to append by the caller's thread: its canonical bytes, its signature and,
     * when the log stamps each record, its RFC 3161 token. Preparing is the costly part of an
     * append (Ed25519, ECDSA); done outside the log's lock, concurrent sessions do it in parallel.
     */
    public record Prepared(EvidenceRecord record, byte[] bytes, RecordSignature signature, byte[] token) {}

    /** Signs (and, when the log stamps each record, time-stamps) {@code r}; safe from any thread. */
    public Prepared prepare(EvidenceRecord r) {
        byte[] bytes = r.canonicalBytes();
        byte[] token = stampsEachRecord() ? tsa.stamp(MerkleHash.sha256(bytes)).token() : null;
        return new Prepared(r, bytes, RecordSignature.sign(key, bytes), token);
    }

    /** Appends prepared records in order, with one fsync per file for all of them; durable when this returns. */
    public List<Appended> appendPrepared(List<Prepared> batch) throws IOException {
        lock.lock();
        try {
            if (readOnly) throw new IOException("the evidence log is open read-only");
            if (broken != null) throw new IOException("the evidence log failed a write earlier and must be reopened", broken);
            List<String> ids = new ArrayList<>();
            for (Prepared p : batch) {
                EvidenceRecord r = p.record();
                if (byId.containsKey(r.id()) || ids.contains(r.id())) throw new IllegalArgumentException("record id " + r.id() + " is already in the log");
                if (signerHash(p.signature()) == null) {
                    throw new IllegalArgumentException("record " + r.id() + " was not signed by this log's key or a domain record key");
                }
                if (stampsEachRecord() && p.token() == null) throw new IllegalArgumentException("record " + r.id() + " has no time-stamp token");
                ids.add(r.id());
            }
            List<Appended> out = new ArrayList<>();
            List<byte[]> leafHashes = new ArrayList<>();
            List<Long> newOffsets = new ArrayList<>();
            List<ByteBuffer> recordFrames = new ArrayList<>();
            List<ByteBuffer> tokenFrames = new ArrayList<>();
            List<Long> newTokenOffsets = new ArrayList<>();
            long pos = records.size();
            long tpos = timestamps.size();
            ByteBuffer leafBuf = ByteBuffer.allocate(batch.size() * MerkleHash.SIZE);
            for (Prepared p : batch) {
                long index = tree.size() + out.size();
                byte[] bytes = p.bytes();
                byte[] leaf = MerkleHash.leafHash(bytes);
                RecordSignature sig = p.signature();
                byte[] payload = ByteBuffer.allocate(bytes.length + SIG_TRAILER).put(bytes).put(signerHash(sig))
                        .put(Base64.getDecoder().decode(sig.signature())).array();
                ByteBuffer frame = Frames.frame(payload);
                newOffsets.add(pos);
                pos += frame.remaining();
                recordFrames.add(frame);
                if (stampsEachRecord()) {
                    // RFC 3161: a token over SHA-256 of the same bytes, durable with the record.
                    byte[] token = p.token();
                    ByteBuffer tf = Frames.frame(ByteBuffer.allocate(8 + token.length).putLong(index).put(token).array());
                    newTokenOffsets.add(tpos);
                    tpos += tf.remaining();
                    tokenFrames.add(tf);
                }
                leafBuf.put(leaf);
                leafHashes.add(leaf);
                out.add(new Appended(index, leaf, sig));
            }
            leafBuf.flip();
            long recordsBefore = records.size();
            long leavesBefore = leaves.size();
            long timestampsBefore = timestamps.size();
            try {
                for (ByteBuffer tf : tokenFrames) Frames.writeFully(timestamps, tf);
                for (ByteBuffer rf : recordFrames) Frames.writeFully(records, rf);
                Frames.writeFully(leaves, leafBuf);
                // The record and its leaf (and its token) are on disk before the caller's "250": fsync,
                // the files side by side (the file system can fold them into one journal commit). A
                // crash between them leaves an unpaired tail, which opening cuts off (never acknowledged).
                forceAll(tokenFrames.isEmpty() ? List.of(records, leaves) : List.of(timestamps, records, leaves));
            } catch (IOException e) {
                // Nothing of this batch was acknowledged: take it back so that no later frame follows a
                // half-written one; if even that fails, refuse further appends until reopened (recovery).
                try {
                    records.truncate(recordsBefore);
                    leaves.truncate(leavesBefore);
                    timestamps.truncate(timestampsBefore);
                } catch (IOException again) {
                    broken = e;
                }
                throw e;
            }
            for (int i = 0; i < newTokenOffsets.size(); i++) tokenOffsets.put(out.get(i).index(), newTokenOffsets.get(i));
            for (int i = 0; i < batch.size(); i++) {
                tree.appendLeafHash(leafHashes.get(i));
                offsets.add(newOffsets.get(i));
                byId.put(batch.get(i).record().id(), out.get(i).index());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private static void forceAll(List<FileChannel> channels) throws IOException {
        List<Thread> others = new ArrayList<>();
        IOException[] failed = new IOException[channels.size()];
        for (int i = 1; i < channels.size(); i++) {
            int k = i;
            others.add(Thread.ofVirtual().start(() -> {
                try {
                    channels.get(k).force(false);
                } catch (IOException e) {
                    failed[k] = e;
                }
            }));
        }
        try {
            channels.getFirst().force(false);
        } catch (IOException e) {
            failed[0] = e;
        }
        for (Thread t : others) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the evidence log was being synced");
            }
        }
        for (IOException e : failed) if (e != null) throw e;
    }

    /** The index of the record with this id. */
    public Optional<Long> indexOf(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.unlock();
        }
    }

    /** A stored record with its signature. */
    public record Stored(long index, byte[] bytes, EvidenceRecord record, RecordSignature signature, byte[] leafHash) {}

    /** The record at {@code index}. */
    public Stored read(long index) throws IOException {
        long offset;
        byte[] leaf;
        lock.lock();
        try {
            if (index < 0 || index >= tree.size()) throw new IllegalArgumentException("no record " + index);
            offset = offsets.get((int) index);
            leaf = tree.leafHash(index);
        } finally {
            lock.unlock();
        }
        byte[] payload = Frames.read(records, offset);
        if (isPruned(payload)) throw new PrunedException(index);
        return decode(index, payload, leaf, this::keyNameOf);
    }

    /** The record with this id. */
    public Optional<Stored> read(String id) throws IOException {
        Optional<Long> i = indexOf(id);
        return i.isEmpty() ? Optional.empty() : Optional.of(read(i.get()));
    }

    /** Every record about the message with this Message-ID, in log order (a scan). */
    public List<Stored> findByMessageId(String messageId) throws IOException {
        List<Stored> out = new ArrayList<>();
        long n = size();
        for (long i = prunedCount(); i < n; i++) {
            Stored s = read(i);
            if (messageId.equals(s.record().messageId())) out.add(s);
        }
        return out;
    }

    /** Thrown when a pruned record is read: its leaf hash stays in the tree, its bytes are gone (retention). */
    public static final class PrunedException extends IOException {
        PrunedException(long index) {
            super("record " + index + " was pruned (retention): its leaf hash remains, its contents do not");
        }
    }

    static boolean isPruned(byte[] payload) {
        return payload.length == PRUNED.length + MerkleHash.SIZE && Arrays.equals(payload, 0, PRUNED.length, PRUNED, 0, PRUNED.length);
    }

    /** How many records, from the first, were pruned. */
    public long prunedCount() {
        lock.lock();
        try {
            return pruned;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retention: removes the contents of the records made before {@code before}, oldest first
     * (a prefix of the log: pruning stops at the first record to keep), keeping each one's leaf
     * hash in its place. The tree, every checkpoint, tree-head time stamp and proof stay valid:
     * RFC 9162 proofs need only the hashes. The records file is replaced (written beside it,
     * fsync'd, renamed); leaves, checkpoints and tokens are not touched. Needs the log's writer
     * lock: run with the server stopped. Returns how many records were pruned now.
     */
    public static long prune(Path dataDir, java.time.Instant before) throws IOException {
        Path dir = dataDir.resolve("evidence");
        if (!Files.exists(dir.resolve("records"))) throw new IOException("no evidence log in " + dataDir);
        try (FileChannel lock = lock(dir); FileChannel rec = FileChannel.open(dir.resolve("records"), StandardOpenOption.READ)) {
            Frames.Scan scan = Frames.scan(rec);
            if (scan.corruption() != null || scan.tornTail()) throw new IOException("the records file is damaged or has a torn tail; run 'evidence audit' (or open the log once) first");
            byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
            List<Frames.Frame> frames = scan.frames();
            if (leaves.length != frames.size() * MerkleHash.SIZE) throw new IOException("records and leaves differ in number; open the log once (recovery) or run 'evidence audit'");
            int cut = 0;
            long now = 0;
            for (Frames.Frame f : frames) {
                byte[] p = f.payload();
                if (isPruned(p)) {
                    cut++;
                    continue;
                }
                byte[] bytes = Arrays.copyOf(p, p.length - SIG_TRAILER);
                EvidenceRecord r = switch (EvidenceRecord.parse(bytes)) {
                    case EvidenceRecord.Parsed ok -> ok.record();
                    case EvidenceRecord.Invalid bad -> throw new IOException("record " + cut + " is invalid: " + bad.reason() + "; run 'evidence audit'");
                };
                if (!r.time().isBefore(before)) break;
                if (!Arrays.equals(MerkleHash.leafHash(bytes), Arrays.copyOfRange(leaves, cut * 32, cut * 32 + 32))) {
                    throw new IOException("record " + cut + " does not match its leaf; run 'evidence audit'");
                }
                cut++;
                now++;
            }
            if (now == 0) return 0;
            Path tmp = dir.resolve("records.prune");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (int i = 0; i < frames.size(); i++) {
                    byte[] payload = i < cut
                            ? ByteBuffer.allocate(PRUNED.length + MerkleHash.SIZE).put(PRUNED).put(leaves, i * 32, 32).array()
                            : frames.get(i).payload();
                    Frames.writeFully(out, Frames.frame(payload));
                }
                out.force(true);
            }
            Files.move(tmp, dir.resolve("records"), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Fsync.fsyncDirectory(dir);
            return now;
        }
    }

    /** The name of the key (the log's, or a domain record key, current or past) with this 4-byte key hash; "unknown" when none. */
    private String keyNameOf(byte[] hash) {
        if (Arrays.equals(hash, key.publicKey().keyHash())) return key.name();
        return recordKeys().byHash(hash).map(dev.sealpost.evidence.sign.Ed25519PublicKey::name).orElse("unknown");
    }

    /** The 4-byte key hash of the key that made {@code sig}, when it is the log key or a record key known to the log; else null. */
    private byte[] signerHash(RecordSignature sig) {
        byte[] h;
        try {
            h = HexFormat.of().parseHex(sig.keyHash());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (h.length != 4) return null;
        return keyNameOf(h).equals(sig.keyName()) ? h : null;
    }

    /** The domain record keys (current and past), re-read when a rotation happened since. */
    public dev.sealpost.evidence.sign.RecordKeys recordKeys() {
        dev.sealpost.evidence.sign.RecordKeys k = recordKeys;
        try {
            dev.sealpost.evidence.sign.RecordKeys fresh = k.reloadIfChanged();
            if (fresh != k) recordKeys = fresh;
            return fresh;
        } catch (IOException e) {
            return k;   // the last good snapshot; a broken key file shows in the audit and at the next start
        }
    }

    /** Signs {@code r} with {@code signer} (the log key or a domain record key of this log's {@code keys/}). */
    public Prepared prepare(EvidenceRecord r, Ed25519Key signer) {
        byte[] bytes = r.canonicalBytes();
        byte[] token = stampsEachRecord() ? tsa.stamp(MerkleHash.sha256(bytes)).token() : null;
        return new Prepared(r, bytes, RecordSignature.sign(signer, bytes), token);
    }

    static Stored decode(long index, byte[] payload, byte[] leaf, java.util.function.Function<byte[], String> nameOf) throws IOException {
        if (payload.length <= SIG_TRAILER) throw new IOException("record frame " + index + " is too short");
        byte[] bytes = Arrays.copyOf(payload, payload.length - SIG_TRAILER);
        byte[] keyHash = Arrays.copyOfRange(payload, bytes.length, bytes.length + 4);
        byte[] sig = Arrays.copyOfRange(payload, bytes.length + 4, payload.length);
        EvidenceRecord r = switch (EvidenceRecord.parse(bytes)) {
            case EvidenceRecord.Parsed p -> p.record();
            case EvidenceRecord.Invalid i -> throw new IOException("record " + index + " is invalid: " + i.reason());
        };
        return new Stored(index, bytes, r, new RecordSignature(nameOf.apply(keyHash), HexFormat.of().formatHex(keyHash),
                Base64.getEncoder().encodeToString(sig)), leaf);
    }

    /** RFC 9162 root of the first {@code size} records. */
    public byte[] root(long size) {
        lock.lock();
        try {
            return tree.root(size);
        } finally {
            lock.unlock();
        }
    }

    /** RFC 9162 §2.1.3.1 inclusion proof of record {@code index} in the tree of {@code treeSize}. */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        lock.lock();
        try {
            return tree.inclusionProof(index, treeSize);
        } finally {
            lock.unlock();
        }
    }

    /** RFC 9162 §2.1.4.1 consistency proof between two sizes. */
    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        lock.lock();
        try {
            return tree.consistencyProof(oldSize, newSize);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Signs and stores a checkpoint of the current tree (fsync'd) and returns its note; when the
     * latest checkpoint already covers the current size it is returned instead.
     */
    public String checkpoint() throws IOException {
        lock.lock();
        try {
            long size = tree.size();
            if (!checkpointNotes.isEmpty()) {
                String last = checkpointNotes.getLast();
                if (last.startsWith(origin() + "\n" + size + "\n")) return last;
            }
            if (readOnly) throw new IOException("the evidence log is open read-only: no new checkpoint can be published");
            String note = new Checkpoint(origin(), size, tree.root()).sign(key);
            Frames.writeFully(checkpoints, Frames.frame(note.getBytes(StandardCharsets.UTF_8)));
            checkpoints.force(false);
            checkpointNotes.add(note);
            return note;
        } finally {
            lock.unlock();
        }
    }

    /** The latest published checkpoint that covers record {@code index}, publishing one when none does. */
    public String checkpointCovering(long index) throws IOException {
        lock.lock();
        try {
            if (!checkpointNotes.isEmpty()) {
                String last = checkpointNotes.getLast();
                long size = Long.parseLong(last.split("\n", 3)[1]);
                if (size > index) return last;
            }
            return checkpoint();
        } finally {
            lock.unlock();
        }
    }

    /** Every checkpoint published, oldest first. */
    public List<String> checkpoints() {
        lock.lock();
        try {
            return List.copyOf(checkpointNotes);
        } finally {
            lock.unlock();
        }
    }

    /** The latest checkpoint, if any was published. */
    public Optional<String> latestCheckpoint() {
        lock.lock();
        try {
            return checkpointNotes.isEmpty() ? Optional.empty() : Optional.of(checkpointNotes.getLast());
        } finally {
            lock.unlock();
        }
    }

    /** The contents of a tile (hash tile or entry bundle) of the tree of {@code size}; empty if it is not one of its tiles. */
    public Optional<byte[]> tile(Tiles.TileRef ref, long size) throws IOException {
        lock.lock();
        try {
            if (size > tree.size() || !Tiles.existsFor(ref, size)) return Optional.empty();
            if (ref.entries() && ref.index() * Tiles.WIDTH < pruned) return Optional.empty();   // its records were pruned; the hash tiles remain
            if (!ref.entries()) return Optional.of(Tiles.hashTile(tree, ref));
        } finally {
            lock.unlock();
        }
        IOException[] failed = new IOException[1];
        byte[] bundle = Tiles.entryBundle(i -> {
            try {
                return read(i).bytes();
            } catch (IOException e) {
                failed[0] = e;
                return new byte[0];
            }
        }, ref);
        if (failed[0] != null) throw failed[0];
        return Optional.of(bundle);
    }

    /** Recomputes the tree from the stored files and checks it against every stored checkpoint. */
    public AuditReport audit() throws IOException {
        lock.lock();
        try {
            return LogAudit.audit(dir, key.publicKey());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code note}, a checkpoint this log published (kept by a user, a receipt or a
     * witness), is consistent with the log now: signed by the log key, not beyond the log's size,
     * and its root is the root of that many records now. A rolled-back or rewritten log fails.
     */
    public dev.sealpost.evidence.merkle.Verification consistentWith(String note) {
        return switch (Checkpoint.open(note, key.publicKey())) {
            case Checkpoint.Invalid i -> dev.sealpost.evidence.merkle.Verification.invalid("not a checkpoint of this log: " + i.reason());
            case Checkpoint.Valid v -> {
                long size = size();
                if (v.checkpoint().size() > size) {
                    yield dev.sealpost.evidence.merkle.Verification.invalid("the checkpoint is for " + v.checkpoint().size()
                            + " records but the log holds " + size + " (rolled back)");
                }
                byte[] proofRoot = root(v.checkpoint().size());
                yield java.security.MessageDigest.isEqual(proofRoot, v.checkpoint().root())
                        ? dev.sealpost.evidence.merkle.Verification.VALID
                        : dev.sealpost.evidence.merkle.Verification.invalid("the log's first " + v.checkpoint().size()
                                + " records no longer have the checkpoint's root (rewritten)");
            }
        };
    }

    /**
     * Audits the log in {@code dataDir/evidence} without opening it (so a log too damaged to open
     * is still reported on), against the log's public key.
     */
    public static AuditReport audit(Path dataDir, dev.sealpost.evidence.sign.Ed25519PublicKey logKey) throws IOException {
        return LogAudit.audit(dataDir.resolve("evidence"), logKey);
    }

    /** The log's public key read from {@code dataDir/evidence/log-key}, empty when there is no log. */
    public static Optional<dev.sealpost.evidence.sign.Ed25519PublicKey> publicKey(Path dataDir) throws IOException {
        Path f = dataDir.resolve("evidence").resolve("log-key");
        if (!Files.exists(f)) return Optional.empty();
        return Ed25519Key.parsePrivate(Files.readString(f, StandardCharsets.UTF_8)).map(Ed25519Key::publicKey);
    }

    private Recovery load() throws IOException {
        Frames.Scan rs = Frames.scan(records);
        if (rs.corruption() != null) throw new IOException("evidence log " + dir + " is damaged (records: " + rs.corruption() + "); run 'evidence audit'");
        Frames.Scan cs = Frames.scan(checkpoints);
        if (cs.corruption() != null) throw new IOException("evidence log " + dir + " is damaged (checkpoints: " + cs.corruption() + "); run 'evidence audit'");
        long leafBytes = leaves.size();
        long leafCount = leafBytes / MerkleHash.SIZE;
        long recordCount = rs.frames().size();
        long recordEnd = rs.goodEnd();
        boolean unpaired = false;
        if (readOnly) {
            // Beside a writer: read what is complete in both files, cut nothing.
            long n = Math.min(recordCount, leafCount);
            recordCount = n;
            leafCount = n;
            recordEnd = n == 0 ? 0 : rs.frames().get((int) n - 1).offset() + Frames.HEADER + rs.frames().get((int) n - 1).payload().length;
        }
        // A crash between the two writes leaves at most one record without its leaf or one leaf
        // without its record; neither was acknowledged, so it is cut off. More is damage.
        if (readOnly) {
            // nothing to reconcile
        } else if (recordCount == leafCount + 1) {
            recordEnd = rs.frames().getLast().offset();
            recordCount--;
            unpaired = true;
        } else if (leafCount == recordCount + 1) {
            leafCount--;
            unpaired = true;
        } else if (leafCount != recordCount) {
            throw new IOException("evidence log " + dir + " is damaged: " + recordCount + " records but " + leafCount + " leaves; run 'evidence audit'");
        }
        long recordCut = readOnly ? 0 : records.size() - recordEnd;
        long leafCut = readOnly ? 0 : leafBytes - leafCount * MerkleHash.SIZE;
        long cpCut = readOnly ? 0 : cs.fileSize() - cs.goodEnd();
        if (recordCut > 0) records.truncate(recordEnd);
        if (leafCut > 0) leaves.truncate(leafCount * MerkleHash.SIZE);
        if (cpCut > 0) checkpoints.truncate(cs.goodEnd());
        if (recordCut > 0 || leafCut > 0 || cpCut > 0) {
            records.force(true);
            leaves.force(true);
            checkpoints.force(true);
        }
        ByteBuffer lb = ByteBuffer.allocate((int) Math.min(leafCount * MerkleHash.SIZE, 1 << 20));
        long pos = 0;
        long end = leafCount * MerkleHash.SIZE;
        byte[] h = new byte[MerkleHash.SIZE];
        while (pos < end) {
            lb.clear();
            lb.limit((int) Math.min(lb.capacity(), end - pos));
            Frames.readFully(leaves, lb, pos);
            lb.flip();
            pos += lb.remaining();
            while (lb.remaining() >= MerkleHash.SIZE) {
                lb.get(h);
                tree.appendLeafHash(h);
            }
        }
        for (int i = 0; i < recordCount; i++) {
            Frames.Frame f = rs.frames().get(i);
            offsets.add(f.offset());
            if (isPruned(f.payload())) {
                // retention: only a prefix of the log is pruned, and the leaf it keeps is the log's
                if (i != pruned || !Arrays.equals(Arrays.copyOfRange(f.payload(), PRUNED.length, PRUNED.length + MerkleHash.SIZE), tree.leafHash(i))) {
                    throw new IOException("evidence log " + dir + " is damaged: pruned record " + i + " is out of order or has another leaf; run 'evidence audit'");
                }
                pruned++;
                continue;
            }
            Stored s = decode(i, f.payload(), tree.leafHash(i), this::keyNameOf);
            if (byId.putIfAbsent(s.record().id(), (long) i) != null) throw new IOException("evidence log " + dir + " holds record id " + s.record().id() + " twice; run 'evidence audit'");
        }
        for (Frames.Frame f : cs.frames()) {
            String note = new String(f.payload(), StandardCharsets.UTF_8);
            if (!(Checkpoint.open(note, key.publicKey()) instanceof Checkpoint.Valid v) || v.checkpoint().size() > recordCount) {
                throw new IOException("evidence log " + dir + " holds a checkpoint that is not this log's or is beyond its records; run 'evidence audit'");
            }
            checkpointNotes.add(note);
        }
        loadTimestamps(recordCount);
        loadTreeTimestamps(recordCount);
        return new Recovery(recordCount, recordCut, leafCut, cpCut, unpaired);
    }

    /** Indexes the stored tokens; tokens of records that are not in the log (a torn batch) are cut off. */
    private void loadTimestamps(long recordCount) throws IOException {
        if (timestamps == null) return;
        Frames.Scan ts = Frames.scan(timestamps);
        if (ts.corruption() != null) throw new IOException("evidence log " + dir + " is damaged (timestamps: " + ts.corruption() + "); run 'evidence audit'");
        long end = ts.goodEnd();
        for (Frames.Frame f : ts.frames()) {
            long index = f.payload().length >= 8 ? ByteBuffer.wrap(f.payload()).getLong() : -1;
            if (index < 0 || index >= recordCount) {
                end = f.offset();
                break;
            }
            tokenOffsets.putIfAbsent(index, f.offset());
        }
        if (!readOnly && end < timestamps.size()) {
            timestamps.truncate(end);
            timestamps.force(true);
        }
    }

    /** The RFC 3161 token stored with record {@code index} (DER ContentInfo), if the log had a TSA then. */
    public Optional<byte[]> timestampToken(long index) throws IOException {
        Long offset;
        lock.lock();
        try {
            offset = tokenOffsets.get(index);
        } finally {
            lock.unlock();
        }
        if (offset == null) return Optional.empty();
        byte[] p = Frames.read(timestamps, offset);
        return Optional.of(Arrays.copyOfRange(p, 8, p.length));
    }

    /** Indexes the stored tree-head tokens; a torn last frame, or one beyond the records (cut in recovery), is cut off. */
    private void loadTreeTimestamps(long recordCount) throws IOException {
        if (treeTimestamps == null) return;
        Frames.Scan ts = Frames.scan(treeTimestamps);
        if (ts.corruption() != null) throw new IOException("evidence log " + dir + " is damaged (tree-timestamps: " + ts.corruption() + "); run 'evidence audit'");
        long end = ts.goodEnd();
        for (Frames.Frame f : ts.frames()) {
            long size = f.payload().length >= 8 ? ByteBuffer.wrap(f.payload()).getLong() : -1;
            if (size < 1 || size > recordCount) {
                end = f.offset();
                break;
            }
            treeStampOffsets.putIfAbsent(size, f.offset());
        }
        if (!readOnly && end < treeTimestamps.size()) {
            treeTimestamps.truncate(end);
            treeTimestamps.force(true);
        }
    }

    /** An RFC 3161 token over {@code rootHash}, the RFC 9162 root hash of the first {@code treeSize} records. */
    public record TreeStamp(long treeSize, byte[] rootHash, byte[] token) {}

    /**
     * Time-stamps the tree head of {@code treeSize} records (at most the log's size) with the
     * log's TSA, unless it was stamped already, and stores the token (fsync'd). One token over
     * the root hash dates every record in that tree: a record's inclusion proof ties it to the
     * root the TSA signed (RFC 3161 §2.4.1 messageImprint = the root hash, SHA-256).
     */
    public TreeStamp stampTree(long treeSize) throws IOException {
        if (tsa == null) throw new IllegalStateException("the evidence log has no time-stamping authority");
        stampLock.lock();
        try {
            Optional<TreeStamp> have = treeStamp(treeSize);
            if (have.isPresent()) return have.get();
            byte[] root;
            lock.lock();
            try {
                if (readOnly) throw new IOException("the evidence log is open read-only");
                if (treeSize < 1 || treeSize > tree.size()) throw new IllegalArgumentException("tree size " + treeSize + " is not in 1.." + tree.size());
                root = tree.root(treeSize);
            } finally {
                lock.unlock();
            }
            byte[] token = tsa.stamp(root).token();   // outside the log's lock: appends go on meanwhile
            lock.lock();
            try {
                long before = treeTimestamps.size();
                try {
                    Frames.writeFully(treeTimestamps, Frames.frame(ByteBuffer.allocate(8 + token.length).putLong(treeSize).put(token).array()));
                    treeTimestamps.force(false);
                } catch (IOException e) {
                    treeTimestamps.truncate(before);
                    throw e;
                }
                treeStampOffsets.put(treeSize, before);
            } finally {
                lock.unlock();
            }
            return new TreeStamp(treeSize, root, token);
        } finally {
            stampLock.unlock();
        }
    }

    /** The stored tree-head token for exactly {@code treeSize} records. */
    public Optional<TreeStamp> treeStamp(long treeSize) throws IOException {
        Long offset;
        byte[] root;
        lock.lock();
        try {
            offset = treeStampOffsets.get(treeSize);
            if (offset == null) return Optional.empty();
            root = tree.root(treeSize);
        } finally {
            lock.unlock();
        }
        byte[] p = Frames.read(treeTimestamps, offset);
        return Optional.of(new TreeStamp(treeSize, root, Arrays.copyOfRange(p, 8, p.length)));
    }

    /** The earliest stored tree-head token whose tree holds record {@code index}. */
    public Optional<TreeStamp> treeStampCovering(long index) throws IOException {
        Long size;
        lock.lock();
        try {
            size = treeStampOffsets.ceilingKey(index + 1);
        } finally {
            lock.unlock();
        }
        return size == null ? Optional.empty() : treeStamp(size);
    }

    /** The largest tree size stamped so far (0 when none). */
    public long lastStampedTreeSize() {
        lock.lock();
        try {
            return treeStampOffsets.isEmpty() ? 0 : treeStampOffsets.lastKey();
        } finally {
            lock.unlock();
        }
    }

    private static FileChannel open(Path p, boolean readOnly) throws IOException {
        if (readOnly) return FileChannel.open(p, StandardOpenOption.READ);
        boolean created = !Files.exists(p);
        // Written only at its end (the position is kept there under the lock); read at explicit positions.
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.position(ch.size());
        if (created) Fsync.fsyncDirectory(p.getParent());
        return ch;
    }

    static Ed25519Key loadOrCreateKey(Path file, String origin) throws IOException {
        if (Files.exists(file)) {
            Ed25519Key k = Ed25519Key.parsePrivate(Files.readString(file, StandardCharsets.UTF_8))
                    .orElseThrow(() -> new IOException(file + " is not a signed-note private key"));
            if (!k.name().equals(origin)) throw new IOException("the evidence log key " + file + " is for origin '" + k.name() + "', not '" + origin + "'");
            return k;
        }
        Ed25519Key k = Ed25519Key.generate(origin);
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, k.privateKeyText() + "\n", StandardCharsets.UTF_8);
        Fsync.fsyncFile(tmp);
        try {
            Files.createLink(file, tmp);   // never replaces a key that appeared meanwhile
        } catch (FileAlreadyExistsException e) {
            Files.delete(tmp);
            return loadOrCreateKey(file, origin);
        }
        Files.delete(tmp);
        Fsync.fsyncDirectory(file.getParent());
        return k;
    }

    private void closeQuietly() {
        for (FileChannel c : new FileChannel[] {records, leaves, checkpoints, timestamps, treeTimestamps, lockFile}) {
            try {
                if (c != null) c.close();
            } catch (IOException ignored) {
                // closing after a failed open: the first error is the one reported
            }
        }
    }

    @Override public void close() throws IOException {
        lock.lock();
        try {
            records.close();
            leaves.close();
            checkpoints.close();
            if (timestamps != null) timestamps.close();
            if (treeTimestamps != null) treeTimestamps.close();
            if (lockFile != null) lockFile.close();
        } finally {
            lock.unlock();
        }
    }
}
