package dev.sealpost.auth.dmarc;

import dev.sealpost.core.mail.Domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RFC5322.From domain that DMARC evaluates (RFC 7489 §3.1, §6.6.1).
 *
 * <p>Input is the raw field value (unfolded or not, after the colon), untrusted. The parser
 * understands RFC 5322 §3.4 mailbox-list syntax: display names, quoted strings, nested comments,
 * angle addresses, and group syntax (obsolete in From but seen). Encoded words need no decoding:
 * they can only be in display names, which are skipped.
 *
 * <p>Decisions (RFC 7489 §6.6.1 leaves them to the receiver): no From field, several From fields,
 * an empty address list or an address without a usable domain (including address literals) is a
 * {@link Failure}, which callers report as {@code dmarc=permerror}; several addresses in one
 * field are accepted only when they all share one domain, else a {@link Failure} (DMARCbis
 * §4.4 allows rejecting such messages; evaluating each domain is not done).
 */
public final class FromDomain {
    /** Longest From field value we look at. */
    public static final int MAX_LENGTH = 16 * 1024;
    /** Most addresses in one From field. */
    public static final int MAX_ADDRESSES = 100;
    private static final int MAX_COMMENT_DEPTH = 32;

    private FromDomain() {}

    /** The outcome: one domain or a reason. */
    public sealed interface Result permits Single, Failure {}

    /** @param domain lower-case A-label form */
    public record Single(String domain) implements Result {}

    public record Failure(String reason) implements Result {}

    /** From all the From fields of a message (each a raw value): exactly one field is required (RFC 5322 §3.6). */
    public static Result extract(List<String> fromFieldValues) {
        if (fromFieldValues.isEmpty()) return new Failure("no From header field");
        if (fromFieldValues.size() > 1) return new Failure("several From header fields");
        return extract(fromFieldValues.getFirst());
    }

    /** From one raw From field value. */
    public static Result extract(String value) {
        if (value == null) return new Failure("no From header field");
        if (value.length() > MAX_LENGTH) return new Failure("From field longer than " + MAX_LENGTH);
        List<String> addresses;
        try {
            addresses = addresses(value);
        } catch (IllegalArgumentException e) {
            return new Failure("malformed From field: " + e.getMessage());
        }
        if (addresses.isEmpty()) return new Failure("no address in the From field");
        String domain = null;
        for (String a : addresses) {
            int at = a.lastIndexOf('@');
            if (at <= 0 || at == a.length() - 1) return new Failure("From address without a domain");
            String d = a.substring(at + 1);
            if (d.startsWith("[")) return new Failure("From address with an address literal");
            Optional<String> ascii = Domain.toAscii(d);
            if (ascii.isEmpty()) return new Failure("invalid From domain " + DmarcRecord.clip(d));
            if (domain == null) domain = ascii.get();
            else if (!domain.equals(ascii.get())) return new Failure("From field with several domains");
        }
        return new Single(domain);
    }

    /** The addr-specs of a mailbox-list, comments and display names removed, quoted local parts kept quoted. */
    static List<String> addresses(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder plain = new StringBuilder(); // the current mailbox outside <>, comments removed
        StringBuilder angle = null;                // content of <...> when seen
        boolean inAngle = false;
        boolean angleSeen = false;
        int i = 0, n = v.length();
        while (i < n) {
            char c = v.charAt(i);
            if (c == '(') {
                i = skipComment(v, i);
                (inAngle ? angle : plain).append(' ');
                continue;
            }
            if (c == '"') {
                int end = quotedEnd(v, i);
                (inAngle ? angle : plain).append(v, i, end);
                i = end;
                continue;
            }
            if (c == '\\') throw new IllegalArgumentException("quoted-pair outside a quoted string");
            if (inAngle) {
                if (c == '>') inAngle = false;
                else if (c == '<') throw new IllegalArgumentException("nested '<'");
                else angle.append(c);
                i++;
                continue;
            }
            switch (c) {
                case '<' -> {
                    if (angleSeen) throw new IllegalArgumentException("two angle addresses in one mailbox");
                    inAngle = true;
                    angleSeen = true;
                    angle = new StringBuilder();
                }
                case '>' -> throw new IllegalArgumentException("unmatched '>'");
                case ':' -> plain.setLength(0); // group display-name ends (RFC 5322 §3.4 group)
                case ',', ';' -> {
                    finish(out, plain, angleSeen ? angle : null);
                    plain.setLength(0);
                    angle = null;
                    angleSeen = false;
                }
                default -> plain.append(c);
            }
            i++;
        }
        if (inAngle) throw new IllegalArgumentException("unterminated '<'");
        finish(out, plain, angleSeen ? angle : null);
        return out;
    }

    private static void finish(List<String> out, StringBuilder plain, StringBuilder angle) {
        String addr;
        if (angle != null) {
            addr = stripAll(angle.toString());
            // obs-route (RFC 5322 §4.4): "<@a,@b:user@host>"; the route is dropped
            int colon = addr.lastIndexOf(':');
            if (addr.startsWith("@") && colon > 0) addr = addr.substring(colon + 1);
        } else {
            String p = plain.toString().strip();
            if (p.isEmpty()) return; // empty list element (RFC 5322 §4.4 obs-mbox-list) or empty group
            addr = stripAll(p);
        }
        if (addr.isEmpty()) return; // "<>" (null sender) contributes nothing
        if (out.size() >= MAX_ADDRESSES) throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
        out.add(addr);
    }

    /**
     * Removes whitespace outside quoted strings where RFC 5322 §4.4 allows CFWS inside an
     * addr-spec (around '.' and '@') and at the ends; whitespace anywhere else is malformed.
     */
    private static String stripAll(String s) {
        StringBuilder b = new StringBuilder();
        boolean q = false;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (q && c == '\\' && i + 1 < n) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') q = !q;
            if (!q && isWs(c)) {
                int j = i;
                while (j < n && isWs(s.charAt(j))) j++;
                char prev = b.isEmpty() ? '.' : b.charAt(b.length() - 1);
                char next = j < n ? s.charAt(j) : '.';
                if (prev != '.' && prev != '@' && next != '.' && next != '@') throw new IllegalArgumentException("whitespace inside an address");
                i = j - 1;
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static boolean isWs(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int skipComment(String v, int i) {
        int depth = 0;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                if (++depth > MAX_COMMENT_DEPTH) throw new IllegalArgumentException("comments nested too deeply");
            } else if (c == ')') {
                if (--depth == 0) return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated comment");
    }

    private static int quotedEnd(String v, int i) {
        for (int j = i + 1; j < v.length(); j++) {
            char c = v.charAt(j);
            if (c == '\\') j++;
            else if (c == '"') return j + 1;
        }
        throw new IllegalArgumentException("unterminated quoted string");
    }
}
