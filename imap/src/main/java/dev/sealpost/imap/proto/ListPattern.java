package dev.sealpost.imap.proto;

import java.util.Arrays;

/**
 * A LIST / LSUB mailbox pattern (RFC 9051 §6.3.9): {@code *} matches any run of characters,
 * {@code %} any run without the hierarchy delimiter {@code /}; every other character matches
 * itself. A hand matcher in place of a regular expression: a regex of {@code .*} per wildcard
 * backtracks, so {@code "*a*a*a*a*a*b"} against a 200-character name took minutes.
 *
 * <p>The pattern is run as a set of positions (a Thompson NFA, as Dovecot's imap-match keeps
 * its backtrack point for {@code *}): each name character advances every live position at most
 * once, so one match costs at most (name length + 1) × (pattern tokens + 1) steps, usually far
 * less (the set dies at the first character no position accepts). Runs of wildcards are merged
 * first ({@code **}, {@code *%} and {@code %*} are {@code *}; {@code %%} is {@code %}). Steps are
 * counted ({@link #steps()}) so that a command can bound its total work.
 *
 * <p>INBOX (RFC 9051 §5.1: case-insensitive): the reference is joined to the pattern and a leading
 * {@code INBOX} in any case is written {@code INBOX}, as before; besides, against the name
 * {@code INBOX} or {@code INBOX/...} (the store keeps that spelling), pattern characters matched
 * by the first five name characters compare case-insensitively, so {@code inbox*}, {@code Inb%}
 * and {@code i*} find INBOX.
 *
 * <p>Bounds: a joined pattern longer than {@link #MAX_LENGTH} is refused; a name longer than
 * {@link #MAX_NAME} matches nothing (no mailbox name is that long).
 *
 * <p>Immutable apart from the step counter; not thread-safe (one per command).
 */
public final class ListPattern {
    /** Characters of reference plus pattern. */
    public static final int MAX_LENGTH = 2048;
    /** Longest name looked at (longer names never match). */
    public static final int MAX_NAME = 4096;
    /** The hierarchy delimiter. */
    public static final char DELIMITER = '/';

    private static final int STAR = -1;
    private static final int PERCENT = -2;

    /** Literal characters (UTF-16 units) and wildcards; no two wildcards in a row. */
    private final int[] tokens;
    private final String text;
    private long steps;
    // scratch sets of live positions, reused between matches
    private final int[] cur;
    private final int[] next;
    private final int[] mark;
    private int generation;

    private ListPattern(String text, int[] tokens) {
        this.text = text;
        this.tokens = tokens;
        this.cur = new int[tokens.length + 1];
        this.next = new int[tokens.length + 1];
        this.mark = new int[tokens.length + 1];
    }

    /**
     * The pattern of a LIST or LSUB command (RFC 9051 §6.3.9): the reference joined to the
     * mailbox pattern (a pattern starting with the delimiter ignores the reference).
     *
     * @throws ImapSyntaxException when the joined pattern is longer than {@link #MAX_LENGTH}
     */
    public static ListPattern of(String reference, String pattern) throws ImapSyntaxException {
        String full = pattern.startsWith(String.valueOf(DELIMITER)) || reference.isEmpty() ? pattern : reference + pattern;
        if (full.length() > MAX_LENGTH) throw new ImapSyntaxException("LIST pattern too long (at most " + MAX_LENGTH + " characters)");
        // RFC 9051 §5.1: INBOX is case-insensitive (in ASCII: String.regionMatches(true, ...) would
        // also fold U+0131 dotless i onto I)
        if (asciiInbox(full) && (full.length() == 5 || full.charAt(5) == DELIMITER)) {
            full = "INBOX" + full.substring(5);
        }
        int[] t = new int[full.length()];
        int n = 0;
        for (int i = 0; i < full.length(); i++) {
            char c = full.charAt(i);
            int tok = c == '*' ? STAR : c == '%' ? PERCENT : c;
            if (tok < 0 && n > 0 && t[n - 1] < 0) {
                if (tok == STAR) t[n - 1] = STAR; // "%*", "**" = "*"; "*%" stays "*", "%%" stays "%"
                continue;
            }
            t[n++] = tok;
        }
        return new ListPattern(full, Arrays.copyOf(t, n));
    }

    private static boolean asciiInbox(String s) {
        if (s.length() < 5) return false;
        for (int i = 0; i < 5; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != "INBOX".charAt(i)) return false;
        }
        return true;
    }

    /** The joined pattern as given (with INBOX normalized). */
    public String text() {
        return text;
    }

    /** Steps taken by all matches so far (one per live position per name character). */
    public long steps() {
        return steps;
    }

    /** True when the whole {@code name} matches. */
    public boolean matches(String name) {
        int len = name.length();
        if (len > MAX_NAME) return false;
        // RFC 9051 §5.1: the first five characters of INBOX compare case-insensitively (ASCII only:
        // no Unicode folding of U+0131 or U+212A onto I or K)
        int inbox = name.startsWith("INBOX") && (len == 5 || name.charAt(5) == DELIMITER) ? 5 : 0;
        int m = tokens.length;
        int nCur = 0;
        generation++;
        nCur = add(cur, nCur, 0);
        for (int i = 0; i < len && nCur > 0; i++) {
            char c = name.charAt(i);
            int nNext = 0;
            generation++;
            for (int k = 0; k < nCur; k++) {
                int pos = cur[k];
                steps++;
                if (pos == m) continue;
                int tok = tokens[pos];
                if (tok == STAR || (tok == PERCENT && c != DELIMITER)) {
                    nNext = add(next, nNext, pos); // the wildcard takes c and may take more
                } else if (tok >= 0 && (tok == c || (i < inbox && tok >= 'a' && tok <= 'z' && tok - 32 == c))) {
                    nNext = add(next, nNext, pos + 1);
                }
            }
            System.arraycopy(next, 0, cur, 0, nNext);
            nCur = nNext;
        }
        for (int k = 0; k < nCur; k++) if (cur[k] == m) return true;
        return false;
    }

    /** Adds a position and, when it is a wildcard, the position after it (the wildcard taking nothing). */
    private int add(int[] set, int n, int pos) {
        if (mark[pos] != generation) {
            mark[pos] = generation;
            set[n++] = pos;
        }
        if (pos < tokens.length && tokens[pos] < 0 && mark[pos + 1] != generation) {
            // no two wildcards in a row: one step of closure is enough
            mark[pos + 1] = generation;
            set[n++] = pos + 1;
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }
}
