package dev.sealpost.evidence.sign;

import dev.sealpost.core.io.Fsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-domain record keys (issue 17: "each record is signed by the domain's evidence key; keys
 * rotate like DKIM keys, old public keys stay published"), in {@code <data>/evidence/keys/}:
 * {@code <domain>/<not before, epoch ms>.key}, each the C2SP signed-note private key text of an
 * Ed25519 key named {@code <domain>/evidence-records} (owner-only). A domain's current key is its
 * newest; a rotation adds a newer one and never deletes the old (it stays valid for the records it
 * signed, until {@code not_after} = the next key's {@code not_before}, and stays published).
 *
 * <p>Records name their key by its 4-byte C2SP key hash; {@link #byHash} finds it. An instance is
 * a snapshot; {@link #reloadIfChanged} re-reads the directory when a rotation (by the CLI beside
 * the server) touched {@code keys/generation}.
 */
public final class RecordKeys {
    /** The key name suffix: {@code example.com/evidence-records}. */
    public static final String NAME_SUFFIX = "/evidence-records";
    private static final Pattern FILE = Pattern.compile("([0-9]{1,19})\\.key");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}\\.)*[a-z0-9-]{1,63}");

    /** One key of a domain; {@code notAfter} is null for the domain's current key. */
    public record Entry(String domain, Ed25519Key key, Instant notBefore, Instant notAfter) {
        public boolean current() {
            return notAfter == null;
        }
    }

    private final Path dir;
    private final List<Entry> entries;
    private final FileTime generation;

    private RecordKeys(Path dir, List<Entry> entries, FileTime generation) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
        this.generation = generation;
    }

    /** The keys in {@code evidenceDir/keys} (none when it is absent). A key file that does not parse is a configuration fault. */
    public static RecordKeys load(Path evidenceDir) throws IOException {
        Path dir = evidenceDir.resolve("keys");
        List<Entry> all = new ArrayList<>();
        FileTime gen = generationOf(dir);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> domains = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path d : domains) {
                    String domain = d.getFileName().toString();
                    List<Entry> mine = new ArrayList<>();
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.key")) {
                        for (Path f : files) {
                            Matcher m = FILE.matcher(f.getFileName().toString());
                            if (!m.matches()) continue;
                            Ed25519Key k = Ed25519Key.parsePrivate(Files.readString(f, StandardCharsets.UTF_8))
                                    .orElseThrow(() -> new IOException(f + " is not a signed-note private key"));
                            if (!k.name().equals(domain + NAME_SUFFIX)) throw new IOException(f + " holds a key named " + k.name() + ", not " + domain + NAME_SUFFIX);
                            mine.add(new Entry(domain, k, Instant.ofEpochMilli(Long.parseLong(m.group(1))), null));
                        }
                    }
                    mine.sort(Comparator.comparing(Entry::notBefore));
                    for (int i = 0; i < mine.size(); i++) {
                        Entry e = mine.get(i);
                        all.add(i + 1 < mine.size() ? new Entry(e.domain(), e.key(), e.notBefore(), mine.get(i + 1).notBefore()) : e);
                    }
                }
            }
        }
        all.sort(Comparator.comparing(Entry::domain).thenComparing(Entry::notBefore));
        return new RecordKeys(dir, all, gen);
    }

    private static FileTime generationOf(Path dir) throws IOException {
        Path g = dir.resolve("generation");
        return Files.exists(g) ? Files.getLastModifiedTime(g) : null;
    }

    /** This snapshot, or a fresh one when a rotation happened since (one stat). */
    public RecordKeys reloadIfChanged() throws IOException {
        FileTime now = generationOf(dir);
        if (java.util.Objects.equals(now, generation)) return this;
        return load(dir.getParent());
    }

    /** Every key, by domain then age: current and past ones (for {@code /evidence/keys}). */
    public List<Entry> entries() {
        return entries;
    }

    /** The domain's current key. */
    public Optional<Ed25519Key> current(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.domain().equals(d) && e.current()).map(Entry::key).findFirst();
    }

    /** The public key (current or past) whose C2SP key hash is {@code hash}. */
    public Optional<Ed25519PublicKey> byHash(byte[] hash) {
        for (Entry e : entries) if (java.util.Arrays.equals(e.key().publicKey().keyHash(), hash)) return Optional.of(e.key().publicKey());
        return Optional.empty();
    }

    /** Whether {@code domain} is a lower-case DNS name (A-labels) usable as a key directory. */
    public static boolean validDomain(String domain) {
        return domain != null && domain.length() <= 253 && DOMAIN.matcher(domain).matches();
    }

    /**
     * Adds a new current key for {@code domain}, valid from {@code now}; the previous one stays
     * (valid until now, still published). Written owner-only and fsync'd before it is used.
     */
    public static Ed25519Key rotate(Path evidenceDir, String domain, Instant now) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!validDomain(d)) throw new IllegalArgumentException("not a domain name: " + domain);
        Path dir = evidenceDir.resolve("keys").resolve(d);
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (created) {
            Fsync.fsyncDirectory(dir.getParent());
            Fsync.fsyncDirectory(dir.getParent().getParent());
        }
        long ms = now.toEpochMilli();
        for (Path p : list(dir)) {
            Matcher m = FILE.matcher(p.getFileName().toString());
            if (m.matches()) ms = Math.max(ms, Long.parseLong(m.group(1)) + 1);   // strictly newer than every key there
        }
        Ed25519Key k = Ed25519Key.generate(d + NAME_SUFFIX);
        Path file = dir.resolve(ms + ".key");
        Path tmp = dir.resolve(ms + ".key.new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, k.privateKeyText() + "\n", StandardCharsets.UTF_8);
        Fsync.fsyncFile(tmp);
        try {
            Files.createLink(file, tmp);   // never replaces a key
        } catch (FileAlreadyExistsException e) {
            Files.delete(tmp);
            return rotate(evidenceDir, domain, now.plusMillis(1));
        }
        Files.delete(tmp);
        Fsync.fsyncDirectory(dir);
        Path gen = dir.getParent().resolve("generation");
        if (!Files.exists(gen)) Files.createFile(gen);
        Files.setLastModifiedTime(gen, FileTime.from(Instant.now()));
        return k;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) out.add(p);
        }
        return out;
    }

    /** The key hash as 8 hex digits (as in a record signature). */
    public static String hashHex(Ed25519PublicKey k) {
        return HexFormat.of().formatHex(k.keyHash());
    }
}
