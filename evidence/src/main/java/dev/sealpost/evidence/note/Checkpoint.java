package dev.sealpost.evidence.note;

import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.sign.Ed25519PublicKey;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A C2SP tlog-checkpoint: the body of a signed note that commits to a tree,
 * <pre>
 * &lt;origin&gt;
 * &lt;tree size, decimal&gt;
 * &lt;base64 root hash&gt;
 * [extension lines]
 * </pre>
 *
 * @param origin     the log's unique name (schema-less URL, e.g. {@code example.test/evidence})
 * @param size       the number of leaves
 * @param root       the RFC 9162 root hash of those leaves (32 bytes)
 * @param extensions optional further lines (none written by Sealpost)
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n")) throw new IllegalArgumentException("bad origin");
        if (size < 0) throw new IllegalArgumentException("negative size");
        if (root.length != 32) throw new IllegalArgumentException("a root hash has 32 bytes");
        root = root.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) if (e.isEmpty() || e.contains("\n")) throw new IllegalArgumentException("bad extension line");
    }

    public Checkpoint(String origin, long size, byte[] root) {
        this(origin, size, root, List.of());
    }

    @Override public byte[] root() {
        return root.clone();
    }

    /** The note text (C2SP tlog-checkpoint). */
    public String body() {
        StringBuilder sb = new StringBuilder();
        sb.append(origin).append('\n').append(size).append('\n').append(Base64.getEncoder().encodeToString(root)).append('\n');
        for (String e : extensions) sb.append(e).append('\n');
        return sb.toString();
    }

    /** The signed note: the body and the log key's signature. */
    public String sign(Ed25519Key logKey) {
        if (!logKey.name().equals(origin)) throw new IllegalArgumentException("the log key is named after the origin");
        return SignedNote.sign(body(), logKey);
    }

    /** The outcome of reading a checkpoint. */
    public sealed interface Read {}

    public record Valid(Checkpoint checkpoint, String note) implements Read {}

    public record Invalid(String reason) implements Read {}

    /** Parses a checkpoint body (unsigned text). */
    public static Read parseBody(String text) {
        if (SignedNote.checkText(text) instanceof String bad) return new Invalid(bad);
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) return new Invalid("a checkpoint has an origin, a size and a root hash line");
        if (lines[0].isEmpty()) return new Invalid("empty origin");
        // C2SP tlog-checkpoint: the size is ASCII decimal without leading zeros.
        if (!DECIMAL.matcher(lines[1]).matches()) return new Invalid("the tree size is not a decimal number: " + lines[1]);
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            return new Invalid("tree size out of range");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            return new Invalid("the root hash is not base64");
        }
        if (root.length != 32) return new Invalid("the root hash has " + root.length + " bytes, not 32");
        List<String> ext = Arrays.asList(lines).subList(3, lines.length);
        if (ext.stream().anyMatch(String::isEmpty)) return new Invalid("an empty extension line");
        Checkpoint c = new Checkpoint(lines[0], size, root, ext);
        if (!c.body().equals(text)) return new Invalid("not in canonical form");
        return new Valid(c, text);
    }

    /** Opens a signed checkpoint: the log key must have signed it and its origin must be the key's name. */
    public static Read open(String note, Ed25519PublicKey logKey) {
        return switch (SignedNote.open(note, List.of(logKey))) {
            case SignedNote.Rejected r -> new Invalid(r.reason());
            case SignedNote.Verified v -> switch (parseBody(v.text())) {
                case Invalid i -> i;
                case Valid ok when !ok.checkpoint().origin().equals(logKey.name()) ->
                        new Invalid("origin " + ok.checkpoint().origin() + " is not the log key's name " + logKey.name());
                case Valid ok -> new Valid(ok.checkpoint(), note);
            };
        };
    }

    @Override public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size && Arrays.equals(c.root, root) && c.extensions.equals(extensions);
    }

    @Override public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(root), extensions);
    }

    @Override public String toString() {
        return "Checkpoint[" + origin + " " + size + " " + Base64.getEncoder().encodeToString(root) + "]";
    }
}
