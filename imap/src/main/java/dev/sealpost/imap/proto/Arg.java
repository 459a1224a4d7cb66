package dev.sealpost.imap.proto;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One argument of an IMAP command as the tokenizer reads it (RFC 9051 §9 formal syntax): atoms,
 * quoted strings, literals and parenthesized lists. Command-specific grammar (fetch attributes,
 * search keys, sequence sets) is applied on top of these.
 *
 * <p>An atom may contain one bracketed section with spaces and parentheses, as in
 * {@code BODY.PEEK[HEADER.FIELDS (From To)]<0.100>}: the tokenizer reads from {@code [} to the
 * matching {@code ]} and then the rest of the atom, so fetch attributes arrive whole.
 * {@code NIL} arrives as the atom {@code NIL}.
 */
public sealed interface Arg {

    /** An atom, number, flag ({@code \Seen}), sequence set or section-bearing fetch attribute. */
    record Atom(String value) implements Arg {
        public boolean is(String word) {
            return value.equalsIgnoreCase(word);
        }
    }

    /**
     * A quoted string or a literal ({@code {n}} / {@code {n+}} / {@code ~{n}} for binary literals,
     * RFC 3516), as octets.
     *
     * @param literal true when it was sent as a literal
     * @param binary  true for a {@code ~{n}} literal8
     */
    record Str(byte[] value, boolean literal, boolean binary) implements Arg {
        /** The octets as UTF-8 text (RFC 9051 §4.3: strings are UTF-8 in IMAP4rev2). */
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    /** A parenthesized list. */
    record ListArg(List<Arg> items) implements Arg {
        public ListArg {
            items = List.copyOf(items);
        }
    }

    /** The text of an atom or string ({@code astring}), or null for a list. */
    static String text(Arg a) {
        return switch (a) {
            case Atom at -> at.value();
            case Str s -> s.text();
            case ListArg l -> null;
        };
    }
}
