package dev.sealpost.delivery;

import dev.sealpost.message.EncodedWords;
import dev.sealpost.sieve.run.Action;
import dev.sealpost.store.FilterMark;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies a Sieve script's editheader actions (RFC 5293) to a message's octets: the copy that is
 * stored, or redirected, carries the edits made before its action. The body is never touched.
 * Protected fields are never added, changed or removed, whatever the script asked (RFC 5293 §6,
 * §7): {@code Received} and {@code Auto-Submitted} (as the interpreter too), and the fields this
 * server trusts on delivered mail: the filter's verdict ({@link FilterMark#FIELD}) and the
 * redirect loop mark ({@link Forwarder#REDIRECTED}).
 */
final class HeaderEdits {
    /** Longest header line written for an added field before it is folded (RFC 5322 §2.1.1). */
    private static final int FOLD_AT = 78;

    private HeaderEdits() {}

    private static final Set<String> PROTECTED = Set.of("received", "auto-submitted",
            FilterMark.FIELD.toLowerCase(Locale.ROOT), Forwarder.REDIRECTED.toLowerCase(Locale.ROOT));

    /** RFC 5293 §6, §7: whether a script may not add or delete this field here. */
    static boolean isProtected(String name) {
        return PROTECTED.contains(name.strip().toLowerCase(Locale.ROOT));
    }

    /** One raw header field: its name and its octets including the folded lines and the last CRLF. */
    private record Field(String name, String raw) {}

    /**
     * The message with {@code edits} ({@link Action.AddHeader}, {@link Action.DeleteHeader}) applied
     * in order; other actions in the list are ignored.
     */
    static byte[] apply(byte[] message, List<Action> edits) {
        // ISO-8859-1 maps each octet to one char and back: 8-bit header octets survive unchanged
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int bodyAt = bodyStart(text);
        List<Field> fields = parse(text.substring(0, bodyAt));
        for (Action a : edits) {
            switch (a) {
                case Action.AddHeader h when !isProtected(h.name()) -> {
                    Field f = new Field(h.name(), fold(h.name() + ": " + encode(h.value())));
                    // RFC 5293 §4: at the top unless :last
                    if (h.last()) fields.add(f);
                    else fields.addFirst(f);
                }
                case Action.DeleteHeader d when !isProtected(d.name()) -> delete(fields, d);
                default -> { }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 256);
        for (Field f : fields) out.writeBytes(f.raw().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(text.substring(bodyAt).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Where the separator line (or the body) starts: the header ends there. */
    private static int bodyStart(String text) {
        int pos = 0;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) return text.length();
            String line = text.substring(pos, eol);
            if (line.isEmpty() || line.equals("\r")) return pos;
            pos = eol + 1;
        }
        return pos;
    }

    private static List<Field> parse(String head) {
        List<Field> out = new ArrayList<>();
        int pos = 0;
        StringBuilder cur = null;
        while (pos < head.length()) {
            int eol = head.indexOf('\n', pos);
            int next = eol < 0 ? head.length() : eol + 1;
            String line = head.substring(pos, next);
            if ((line.startsWith(" ") || line.startsWith("\t")) && cur != null) {
                cur.append(line); // RFC 5322 §2.2.3: a continuation line
            } else {
                if (cur != null) out.add(field(cur.toString()));
                cur = new StringBuilder(line);
            }
            pos = next;
        }
        if (cur != null) out.add(field(cur.toString()));
        return out;
    }

    private static Field field(String raw) {
        if (!raw.endsWith("\n")) raw = raw + "\r\n";
        int colon = raw.indexOf(':');
        return new Field(colon <= 0 ? "" : raw.substring(0, colon).strip(), raw);
    }

    /**
     * RFC 5293 §5: the interpreter resolved which occurrences go (their values as the script saw
     * them: unfolded, encoded words decoded); each value deletes the first remaining field of that
     * name with that value.
     */
    private static void delete(List<Field> fields, Action.DeleteHeader d) {
        for (String v : d.values()) {
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                if (f.name().equalsIgnoreCase(d.name()) && value(f).equals(v)) {
                    fields.remove(i);
                    break;
                }
            }
        }
    }

    /** A field's value as the Sieve environment sees it (unfolded, stripped, encoded words decoded). */
    private static String value(Field f) {
        String raw = new String(f.raw().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        String v = raw.substring(raw.indexOf(':') + 1).replace("\r", "").replace("\n", "").strip();
        try {
            return EncodedWords.decode(v);
        } catch (RuntimeException e) {
            return v;
        }
    }

    /** RFC 5293 §4: a value with non-ASCII text goes into encoded words (RFC 2047 §4.1, B encoding), ASCII as is. */
    static String encode(String value) {
        String v = value.replaceAll("[\\r\\n]+", " ");
        if (v.chars().allMatch(c -> c < 128)) return v;
        StringBuilder out = new StringBuilder();
        StringBuilder chunk = new StringBuilder();
        int octets = 0;
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            // RFC 2047 §2: an encoded word is at most 75 characters: 45 octets of text in base64 fit
            if (octets + n > 45) {
                word(out, chunk);
                chunk.setLength(0);
                octets = 0;
            }
            chunk.appendCodePoint(cp);
            octets += n;
            i += Character.charCount(cp);
        }
        word(out, chunk);
        return out.toString();
    }

    private static void word(StringBuilder out, StringBuilder chunk) {
        if (chunk.isEmpty()) return;
        if (!out.isEmpty()) out.append(' ');
        out.append("=?utf-8?B?").append(Base64.getEncoder().encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8))).append("?=");
    }

    /** One field as header lines of at most {@link #FOLD_AT} characters where it has spaces to fold at (RFC 5322 §2.2.3). */
    static String fold(String line) {
        StringBuilder out = new StringBuilder();
        String rest = line;
        while (rest.length() > FOLD_AT) {
            int cut = rest.lastIndexOf(' ', FOLD_AT);
            if (cut <= 0) cut = rest.indexOf(' ', FOLD_AT);
            if (cut <= 0) break; // no place to fold: one long line (RFC 5322 §2.1.1 allows up to 998)
            out.append(rest, 0, cut).append("\r\n");
            rest = rest.substring(cut); // the space starts the continuation line
        }
        return out.append(rest).append("\r\n").toString();
    }
}
