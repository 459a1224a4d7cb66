package dev.sealpost.lists.post;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A post as the list handles it: its header fields, each kept exactly as received (folding and
 * octets, held as ISO-8859-1 text so that every octet survives, RFC 6532 UTF-8 included), and
 * its body as opaque octets. Immutable: every change returns a new post.
 */
public final class Post {
    /** Header section bounds: 256 KiB and 1000 fields (as the message module's defaults). */
    public static final int MAX_HEADER_BYTES = 256 * 1024, MAX_FIELDS = 1000;

    /**
     * One header field.
     *
     * @param name the field name as written
     * @param raw  the whole field, name, colon and value with its folding, without the final CRLF
     */
    public record Field(String name, String raw) {
        /**
         * A new field {@code name: value}. The value is octets held as ISO-8859-1 characters (as
         * {@link #raw()}): ASCII text, or UTF-8 already turned into octets; folded only as CRLF
         * followed by white space.
         */
        public static Field of(String name, String value) {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) throw new IllegalArgumentException("bad field name " + name);
            // held as ISO-8859-1 octets: a character above U+00FF could not be written
            if (value.chars().anyMatch(c -> c > 0xff)) throw new IllegalArgumentException("unencoded text in field " + name);
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                // only as folding (CRLF then white space): a bare line end would start a new field
                if (!value.matches("(?s)(?:[^\r\n]|\r\n[ \t])*")) throw new IllegalArgumentException("line end in field " + name);
            }
            return new Field(name, name + ": " + value);
        }

        /** The value, unfolded (RFC 5322 §2.2.3) and stripped. */
        public String value() {
            int colon = raw.indexOf(':');
            return raw.substring(colon + 1).replaceAll("\r?\n(?=[ \t])", "").strip();
        }

        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private final List<Field> fields;
    private final byte[] body;

    private Post(List<Field> fields, byte[] body) {
        this.fields = List.copyOf(fields);
        this.body = body;
    }

    public static Post of(List<Field> fields, byte[] body) {
        return new Post(fields, body.clone());
    }

    /**
     * Splits a message into header fields and body. Empty when the header section is larger than
     * {@link #MAX_HEADER_BYTES} or has more than {@link #MAX_FIELDS} fields, or starts with a
     * continuation line. Lines without a colon are dropped (leniency: they cannot be re-emitted
     * as fields, and a broken line would otherwise end the header early).
     */
    public static Optional<Post> parse(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, MAX_HEADER_BYTES + 4), StandardCharsets.ISO_8859_1);
        int end = -1, bodyStart = message.length;
        int crlf = text.indexOf("\r\n\r\n"), lf = text.indexOf("\n\n");
        if (text.startsWith("\r\n")) { end = 0; bodyStart = 2; }
        else if (text.startsWith("\n")) { end = 0; bodyStart = 1; }
        else if (crlf >= 0 && (lf < 0 || crlf < lf - 1)) { end = crlf + 2; bodyStart = crlf + 4; }
        else if (lf >= 0) { end = lf + 1; bodyStart = lf + 2; }
        else if (message.length <= MAX_HEADER_BYTES) { end = text.length(); }
        if (end < 0 || end > MAX_HEADER_BYTES) return Optional.empty();
        List<Field> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.substring(0, end).split("\r?\n")) {
            if (line.isEmpty()) continue;
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (current == null) return Optional.empty();
                current.append("\r\n").append(line);
                continue;
            }
            if (current != null) add(out, current.toString());
            current = new StringBuilder(line);
            if (out.size() >= MAX_FIELDS) return Optional.empty();
        }
        if (current != null) add(out, current.toString());
        return Optional.of(new Post(out, Arrays.copyOfRange(message, Math.min(bodyStart, message.length), message.length)));
    }

    private static void add(List<Field> out, String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) return;
        String name = raw.substring(0, colon).strip();
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127)) return;
        out.add(new Field(name, raw));
    }

    public List<Field> fields() {
        return fields;
    }

    public byte[] body() {
        return body.clone();
    }

    /** The unfolded value of the first field of that name, if any. */
    public Optional<String> first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst().map(Field::value);
    }

    /** Unfolded values of every field of that name, in order. */
    public List<String> all(String name) {
        return fields.stream().filter(f -> f.is(name)).map(Field::value).toList();
    }

    /** Without the fields whose lower-cased name is in {@code names}. */
    public Post without(Set<String> lowerCaseNames) {
        return without(f -> lowerCaseNames.contains(f.name().toLowerCase(Locale.ROOT)));
    }

    public Post without(Predicate<Field> drop) {
        return new Post(fields.stream().filter(drop.negate()).toList(), body);
    }

    /** With {@code extra} appended after the existing fields. */
    public Post with(List<Field> extra) {
        List<Field> all = new ArrayList<>(fields);
        all.addAll(extra);
        return new Post(all, body);
    }

    /** With every field named {@code name} removed and {@code value} put where the first one was (or appended). */
    public Post replacing(String name, String value) {
        List<Field> all = new ArrayList<>();
        boolean placed = false;
        for (Field f : fields) {
            if (!f.is(name)) { all.add(f); continue; }
            if (!placed && value != null) all.add(Field.of(name, value));
            placed = true;
        }
        if (!placed && value != null) all.add(Field.of(name, value));
        return new Post(all, body);
    }

    /** The message: fields with CRLF line ends, an empty line, the body. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + fields.size() * 80 + 2);
        for (Field f : fields) {
            out.writeBytes(f.raw().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
