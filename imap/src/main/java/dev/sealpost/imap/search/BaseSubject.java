package dev.sealpost.imap.search;

import dev.sealpost.message.EncodedWords;

/**
 * RFC 5256 §2.1 base subject extraction, used by SORT SUBJECT and by both THREAD algorithms.
 *
 * @param base           the base subject (may be empty)
 * @param replyOrForward true when a reply or forward marker was removed ({@code Re:}, {@code Fwd:},
 *                       a {@code (fwd)} trailer, or a {@code [fwd: ...]} wrapper), as RFC 5256 §3
 *                       REFERENCES step 5 needs
 */
public record BaseSubject(String base, boolean replyOrForward) {
    /** Longest subject considered; the rest is ignored (bounded work on hostile headers). */
    static final int MAX_LENGTH = 4096;

    /** The base subject of a raw (possibly RFC 2047 encoded) Subject field value; null gives "". */
    public static BaseSubject of(String rawSubject) {
        if (rawSubject == null) return new BaseSubject("", false);
        String decoded = EncodedWords.decode(rawSubject);
        if (decoded.length() > MAX_LENGTH) decoded = decoded.substring(0, MAX_LENGTH);
        // RFC 5256 §2.1 (1): tabs and continuations become spaces, runs of spaces one space
        StringBuilder b = new StringBuilder(decoded.length());
        boolean space = false;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (!space) b.append(' ');
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        String s = b.toString();
        boolean reply = false;
        while (true) {
            // (2) remove subj-trailer = "(fwd)" / WSP, repeatedly
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.length() >= 5 && s.regionMatches(true, s.length() - 5, "(fwd)", 0, 5)) {
                    s = s.substring(0, s.length() - 5);
                    reply = true;
                } else {
                    break;
                }
            }
            // (3), (4), (5)
            while (true) {
                if (s.startsWith(" ")) { // subj-leader = WSP
                    s = s.substring(1);
                    continue;
                }
                int leader = leader(s);
                if (leader > 0) { // subj-leader = *subj-blob subj-refwd
                    s = s.substring(leader);
                    reply = true;
                    continue;
                }
                int blob = blob(s, 0);
                if (blob > 0 && blob < s.length()) { // (4) only when a non-empty subj-base remains
                    s = s.substring(blob);
                    continue;
                }
                break;
            }
            // (6) subj-fwd-hdr "[fwd:" ... subj-fwd-trl "]"
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                reply = true;
                continue;
            }
            return new BaseSubject(s, reply);
        }
    }

    /** Length of {@code *subj-blob subj-refwd} at the start of s, or 0. */
    private static int leader(String s) {
        int i = 0;
        while (true) {
            int r = refwd(s, i);
            if (r > 0) return r;
            int b = blob(s, i);
            if (b == 0) return 0;
            i = b;
        }
    }

    /** End of {@code subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"} starting at i, or 0. */
    private static int refwd(String s, int i) {
        int j;
        if (s.regionMatches(true, i, "re", 0, 2)) {
            j = i + 2;
        } else if (s.regionMatches(true, i, "fw", 0, 2)) {
            j = i + 2;
            if (j < s.length() && (s.charAt(j) == 'd' || s.charAt(j) == 'D')) j++;
        } else {
            return 0;
        }
        while (j < s.length() && s.charAt(j) == ' ') j++;
        int b = blob(s, j);
        if (b > 0) j = b;
        return j < s.length() && s.charAt(j) == ':' ? j + 1 : 0;
    }

    /** End of {@code subj-blob = "[" *BLOBCHAR "]" *WSP} starting at i, or 0. */
    private static int blob(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '[') return 0;
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != ']') {
            if (s.charAt(j) == '[') return 0; // BLOBCHAR excludes "[" and "]"
            j++;
        }
        if (j >= s.length()) return 0;
        j++;
        while (j < s.length() && s.charAt(j) == ' ') j++;
        return j;
    }
}
