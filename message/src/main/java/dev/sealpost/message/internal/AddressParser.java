package dev.sealpost.message.internal;

import dev.sealpost.message.Address;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5322 §3.4 address lists for ENVELOPE, lenient and never throwing: mailboxes
 * ({@code name-addr} and {@code addr-spec}), groups, obsolete routes (§4.4), comments. Leniency
 * (as Dovecot and most clients): a missing domain gives host {@code ""}; when a mailbox has no
 * display name its first comment is used ({@code user@host (Real Name)}); unterminated quotes,
 * comments, angle brackets and groups end at the end of the value; stray specials are skipped.
 */
public final class AddressParser {
    private static final int MAX_ADDRESSES = 10_000;

    private enum Kind { ATOM, QUOTED, COMMENT, LITERAL, SPECIAL }

    private record Token(Kind kind, String text) {
        boolean is(char ch) {
            return kind == Kind.SPECIAL && text.charAt(0) == ch;
        }

        /** The token as it appears in an address (a quoted string re-quoted). */
        String raw() {
            if (kind != Kind.QUOTED) return text;
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    private final List<Token> t;
    private int pos;
    private final List<Address> out = new ArrayList<>();
    private boolean inGroup;

    private AddressParser(List<Token> tokens) {
        this.t = tokens;
    }

    /** The address list in {@code value} (an unfolded header field body); empty for null or blank. */
    public static List<Address> parse(String value) {
        if (value == null || value.isBlank()) return List.of();
        AddressParser p = new AddressParser(tokenize(value));
        p.list();
        return List.copyOf(p.out);
    }

    private void list() {
        while (pos < t.size() && out.size() < MAX_ADDRESSES) {
            Token tok = t.get(pos);
            if (tok.is(',') || tok.is('>')) {
                pos++;
            } else if (tok.is(';')) {
                pos++;
                if (inGroup) {
                    out.add(Address.groupEnd());
                    inGroup = false;
                }
            } else {
                item();
            }
        }
        if (inGroup) out.add(Address.groupEnd()); // RFC 5322 §3.4 group without its ";"
    }

    /** One mailbox or a group's start; leaves "," and ";" for {@link #list()}. */
    private void item() {
        List<Token> words = new ArrayList<>();
        String comment = null;
        while (pos < t.size()) {
            Token tok = t.get(pos);
            switch (tok.kind) {
                case COMMENT -> {
                    if (comment == null && !tok.text.isBlank()) comment = tok.text.strip();
                    pos++;
                }
                case ATOM, QUOTED, LITERAL -> {
                    words.add(tok);
                    pos++;
                }
                case SPECIAL -> {
                    char ch = tok.text.charAt(0);
                    if (ch == '@') {
                        addrSpec(words, comment);
                        return;
                    } else if (ch == '<') {
                        angle(words, comment);
                        return;
                    } else if (ch == ':') {
                        pos++;
                        if (!inGroup) {
                            // RFC 5322 §3.4 group = display-name ":" [group-list] ";"
                            out.add(Address.groupStart(phrase(words)));
                            inGroup = true;
                            return;
                        }
                        // a ":" inside a group is not valid; skip it
                    } else if (ch == ',' || ch == ';') {
                        if (!words.isEmpty()) out.add(Address.mailbox(comment, null, join(words), ""));
                        return;
                    } else {
                        pos++; // stray ">" or "."
                    }
                }
            }
        }
        if (!words.isEmpty()) out.add(Address.mailbox(comment, null, join(words), ""));
    }

    /** {@code local-part "@" domain} without angle brackets; the words read so far are the local part. */
    private void addrSpec(List<Token> local, String comment) {
        pos++; // "@"
        StringBuilder domain = new StringBuilder();
        while (pos < t.size()) {
            Token tok = t.get(pos);
            if (tok.kind == Kind.COMMENT) {
                if (comment == null && !tok.text.isBlank()) comment = tok.text.strip();
            } else if (tok.kind == Kind.SPECIAL && tok.text.charAt(0) != '.') {
                break;
            } else {
                domain.append(tok.text);
            }
            pos++;
        }
        // trailing junk up to the next separator, collecting a comment for the name
        while (pos < t.size() && !t.get(pos).is(',') && !t.get(pos).is(';')) {
            Token tok = t.get(pos++);
            if (tok.kind == Kind.COMMENT && comment == null && !tok.text.isBlank()) comment = tok.text.strip();
        }
        out.add(Address.mailbox(comment, null, join(local), domain.toString()));
    }

    /** {@code [display-name] "<" [route ":"] addr-spec ">"} (RFC 5322 §3.4, route from §4.4). */
    private void angle(List<Token> words, String comment) {
        pos++; // "<"
        String route = null;
        if (pos < t.size() && t.get(pos).is('@')) {
            StringBuilder r = new StringBuilder();
            int save = pos;
            while (pos < t.size() && !t.get(pos).is(':') && !t.get(pos).is('>')) {
                Token tok = t.get(pos++);
                if (tok.kind != Kind.COMMENT) r.append(tok.text);
            }
            if (pos < t.size() && t.get(pos).is(':')) {
                pos++;
                route = r.toString();
            } else {
                pos = save; // not a route after all
            }
        }
        List<Token> local = new ArrayList<>();
        StringBuilder domain = null;
        while (pos < t.size() && !t.get(pos).is('>')) {
            Token tok = t.get(pos++);
            if (tok.kind == Kind.COMMENT) continue;
            if (tok.is('@') && domain == null) {
                domain = new StringBuilder();
            } else if (domain == null) {
                local.add(tok);
            } else {
                domain.append(tok.text);
            }
        }
        if (pos < t.size()) pos++; // ">"
        String name = phrase(words);
        // after ">": a comment may give the name; anything else up to the separator is skipped
        while (pos < t.size() && !t.get(pos).is(',') && !t.get(pos).is(';')) {
            Token tok = t.get(pos++);
            if (tok.kind == Kind.COMMENT && comment == null && !tok.text.isBlank()) comment = tok.text.strip();
        }
        if (name == null) name = comment;
        String mailbox = join(local);
        String host = domain == null ? "" : domain.toString();
        if (mailbox.isEmpty() && host.isEmpty() && name == null) return; // "<>": nothing to list
        out.add(Address.mailbox(name, route, mailbox, host));
    }

    /** Display name: words joined by one space, quoted strings unquoted; null when there are none. */
    private static String phrase(List<Token> words) {
        if (words.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (Token w : words) {
            if (!b.isEmpty()) b.append(' ');
            b.append(w.text);
        }
        return b.toString();
    }

    private static String join(List<Token> words) {
        StringBuilder b = new StringBuilder();
        for (Token w : words) b.append(w.raw());
        return b.toString();
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        MimeValues.Cursor c = new MimeValues.Cursor(s);
        while (!c.atEnd() && out.size() < 100_000) {
            char ch = c.peek();
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                c.pos++;
            } else if (ch == '(') {
                out.add(new Token(Kind.COMMENT, c.comment()));
            } else if (ch == '"') {
                out.add(new Token(Kind.QUOTED, c.quoted()));
            } else if (ch == '[') {
                int start = c.pos;
                while (!c.atEnd() && c.peek() != ']') c.pos++;
                if (!c.atEnd()) c.pos++;
                out.add(new Token(Kind.LITERAL, s.substring(start, c.pos)));
            } else if ("<>@,;:".indexOf(ch) >= 0) {
                out.add(new Token(Kind.SPECIAL, String.valueOf(ch)));
                c.pos++;
            } else {
                // RFC 5322 atom; "." is kept inside it (dot-atom, obs-phrase) and so is any other octet
                int start = c.pos;
                while (!c.atEnd() && " \t\r\n()\"[<>@,;:".indexOf(c.peek()) < 0) c.pos++;
                out.add(new Token(Kind.ATOM, s.substring(start, c.pos)));
            }
        }
        return out;
    }
}
