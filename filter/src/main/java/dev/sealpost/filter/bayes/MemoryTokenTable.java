package dev.sealpost.filter.bayes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The model in memory: one open-addressing hash table per scope (8 octets of key and 8 of counts
 * per token), thread-safe (a read-write lock). Written compactly by {@link #write(OutputStream)}:
 * hashes sorted and delta-encoded as variable-length integers, so a trained model of a few hundred
 * thousand tokens takes a few megabytes. Used for evaluation, for offline tools and as a cache.
 */
public final class MemoryTokenTable implements TokenTable {
    private static final int MAGIC = 0x53504259; // "SPBY"
    private static final int VERSION = 1;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Scope> scopes = new HashMap<>();

    /** Receives one token of a scope being loaded. */
    @FunctionalInterface
    public interface Visitor {
        void token(long hash, int spam, int ham);
    }

    @Override
    public long[] totals(String scope) {
        lock.readLock().lock();
        try {
            Scope s = scopes.get(scope);
            return s == null ? new long[2] : new long[] {s.spamMessages, s.hamMessages};
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void counts(String scope, long[] hashes, int[] spam, int[] ham) {
        lock.readLock().lock();
        try {
            Scope s = scopes.get(scope);
            for (int i = 0; i < hashes.length; i++) {
                int slot = s == null ? -1 : s.find(hashes[i]);
                spam[i] = slot < 0 ? 0 : s.spam[slot];
                ham[i] = slot < 0 ? 0 : s.ham[slot];
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void add(String scope, long[] hashes, boolean spam, int delta) {
        if (delta == 0) return;
        lock.writeLock().lock();
        try {
            Scope s = scopes.computeIfAbsent(scope, k -> new Scope());
            for (long h : hashes) s.add(h, spam ? delta : 0, spam ? 0 : delta);
            if (spam) s.spamMessages = Math.max(0, s.spamMessages + delta);
            else s.hamMessages = Math.max(0, s.hamMessages + delta);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages) {
        lock.writeLock().lock();
        try {
            Scope s = scopes.computeIfAbsent(scope, k -> new Scope());
            for (int i = 0; i < hashes.length; i++) s.add(hashes[i], spamDelta[i], hamDelta[i]);
            s.spamMessages = Math.max(0, s.spamMessages + spamMessages);
            s.hamMessages = Math.max(0, s.hamMessages + hamMessages);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Distinct tokens with a nonzero count in the scope. */
    public int size(String scope) {
        lock.readLock().lock();
        try {
            Scope s = scopes.get(scope);
            return s == null ? 0 : s.live;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Replaces a scope with what {@code source} gives to its visitor. */
    public void load(String scope, long spamMessages, long hamMessages, Consumer<Visitor> source) {
        Scope s = new Scope();
        s.spamMessages = spamMessages;
        s.hamMessages = hamMessages;
        source.accept((h, sp, hm) -> s.add(h, sp, hm));
        lock.writeLock().lock();
        try {
            scopes.put(scope, s);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes every scope in the compact form. */
    public void write(OutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            d.writeInt(MAGIC);
            d.writeByte(VERSION);
            Map<String, Scope> sorted = new TreeMap<>(scopes);
            d.writeInt(sorted.size());
            for (Map.Entry<String, Scope> e : sorted.entrySet()) {
                Scope s = e.getValue();
                d.writeUTF(e.getKey());
                varint(d, s.spamMessages);
                varint(d, s.hamMessages);
                long[] keys = new long[s.live];
                int n = 0;
                for (int i = 0; i < s.keys.length; i++) if (s.used[i] && (s.spam[i] > 0 || s.ham[i] > 0)) keys[n++] = s.keys[i];
                keys = Arrays.copyOf(keys, n);
                // sorted as unsigned, so every delta is a non-negative unsigned value
                for (int i = 0; i < keys.length; i++) keys[i] ^= Long.MIN_VALUE;
                Arrays.sort(keys);
                varint(d, keys.length);
                long prev = 0;
                for (long k0 : keys) {
                    long k = k0 ^ Long.MIN_VALUE;
                    varint(d, k - prev);
                    prev = k;
                    int slot = s.find(k);
                    varint(d, s.spam[slot]);
                    varint(d, s.ham[slot]);
                }
            }
            d.flush();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads {@link #write(OutputStream)} output, replacing every scope. */
    public void read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        if (d.readInt() != MAGIC) throw new IOException("not a Sealpost classifier model");
        int version = d.readUnsignedByte();
        if (version != VERSION) throw new IOException("unknown classifier model version " + version);
        int count = d.readInt();
        if (count < 0) throw new IOException("damaged classifier model");
        Map<String, Scope> loaded = new HashMap<>();
        for (int c = 0; c < count; c++) {
            String name = d.readUTF();
            Scope s = new Scope();
            s.spamMessages = varlong(d);
            s.hamMessages = varlong(d);
            long tokens = varlong(d);
            long prev = 0;
            for (long t = 0; t < tokens; t++) {
                long k = prev + varlong(d);
                prev = k;
                s.add(k, (int) Math.min(Integer.MAX_VALUE, varlong(d)), (int) Math.min(Integer.MAX_VALUE, varlong(d)));
            }
            loaded.put(name, s);
        }
        lock.writeLock().lock();
        try {
            scopes.clear();
            scopes.putAll(loaded);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes the model to {@code file} atomically (a temporary file, fsync'd, then renamed). */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            write(out);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a model saved by {@link #save(Path)}. */
    public static MemoryTokenTable open(Path file) throws IOException {
        MemoryTokenTable t = new MemoryTokenTable();
        try (InputStream in = Files.newInputStream(file)) {
            t.read(in);
        }
        return t;
    }

    private static void varint(DataOutputStream d, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            d.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d.writeByte((int) v);
    }

    private static long varlong(DataInputStream d) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = d.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new EOFException("damaged classifier model (varint too long)");
    }

    /** One scope: linear-probing table of hashes to (spam, ham); counts at zero stay as tombstones until a resize. */
    private static final class Scope {
        long spamMessages, hamMessages;
        long[] keys = new long[1024];
        int[] spam = new int[1024], ham = new int[1024];
        boolean[] used = new boolean[1024];
        int filled, live;

        int find(long h) {
            int mask = keys.length - 1;
            for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
                if (!used[i]) return -1;
                if (keys[i] == h) return i;
            }
        }

        void add(long h, int dSpam, int dHam) {
            if ((filled + 1) * 4 >= keys.length * 3) resize();
            int mask = keys.length - 1;
            int i = mix(h) & mask;
            while (used[i] && keys[i] != h) i = (i + 1) & mask;
            boolean wasLive = used[i] && (spam[i] > 0 || ham[i] > 0);
            if (!used[i]) {
                if (dSpam <= 0 && dHam <= 0) return; // untraining an unknown token
                used[i] = true;
                keys[i] = h;
                filled++;
            }
            spam[i] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) spam[i] + dSpam));
            ham[i] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) ham[i] + dHam));
            boolean isLive = spam[i] > 0 || ham[i] > 0;
            if (isLive && !wasLive) live++;
            else if (!isLive && wasLive) live--;
        }

        private void resize() {
            long[] ok = keys;
            int[] os = spam, oh = ham;
            boolean[] ou = used;
            int cap = Math.max(1024, Integer.highestOneBit(Math.max(live, 1)) * 4);
            keys = new long[cap];
            spam = new int[cap];
            ham = new int[cap];
            used = new boolean[cap];
            filled = 0;
            live = 0;
            for (int i = 0; i < ok.length; i++) if (ou[i] && (os[i] > 0 || oh[i] > 0)) add(ok[i], os[i], oh[i]);
        }

        private static int mix(long h) {
            return (int) (h ^ (h >>> 32));
        }
    }
}
