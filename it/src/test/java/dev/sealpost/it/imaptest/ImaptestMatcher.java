package dev.sealpost.it.imaptest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Variables and reply matching with the rules of imaptest's test-exec.c:
 * <ul>
 * <li>{@code $name} / {@code ${name}}: bound from the server input on first use (up to the next
 *     literal pattern character), afterwards it must match exactly (case-sensitively);</li>
 * <li>{@code $} alone matches anything (a whole list too); {@code $]} skips up to a {@code ]};</li>
 * <li>{@code $N}: the current sequence number of what was message N when the command group
 *     started (EXPUNGEs seen meanwhile shift it);</li>
 * <li>{@code ${case:TEXT}} makes the argument compare case-sensitively (else case-insensitively);</li>
 * <li>{@code $modseqN}: each must be at least the previous one plus the gap between indexes;</li>
 * <li>{@code $$} is a literal dollar; {@code $!directives} steer list matching.</li>
 * </ul>
 */
final class ImaptestMatcher {
    /** Returned by the match functions on success; otherwise the count of matching arguments. */
    static final int MATCH = Integer.MAX_VALUE;

    final Map<String, String> vars = new HashMap<>();
    /** Variables bound while matching one untagged reply, reverted when it does not match. */
    final List<String> added = new ArrayList<>();
    private long highestModseqIdx;
    private long highestModseqValue;
    /** Initial sequence (index + 1) to current sequence; 0 = expunged. */
    private int[] seqmap = new int[0];

    /** A {@code $variable} in a command that has no value yet. */
    static final class UninitializedVariable extends Exception {
        UninitializedVariable(String name) {
            super("Uninitialized variable: " + name);
        }
    }

    void resetSeqmap(int count) {
        seqmap = new int[Math.max(0, count)];
        for (int i = 0; i < seqmap.length; i++) seqmap[i] = i + 1;
    }

    /** test_handle_expunge: sequences above {@code seq} move down, {@code seq} itself is gone. */
    void expunge(long seq) {
        if (seq <= 0 || seq > seqmap.length) return; // may come after EXISTS
        for (int i = (int) seq - 1; i < seqmap.length; i++) {
            if (seqmap[i] == seq) seqmap[i] = 0;
            else if (seqmap[i] > seq) seqmap[i]--;
        }
    }

    private String relativeSeq(long seq) {
        if (seq == 0) return "<zero seq>";
        if (seq > seqmap.length) return "<out of range>";
        if (seqmap[(int) seq - 1] == 0) return "<expunged>";
        return Integer.toString(seqmap[(int) seq - 1]);
    }

    private static boolean isVarChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** str_to_uint32: the whole string is decimal digits within 32 bits; -1 otherwise. */
    private static long uint32(String s) {
        if (s.isEmpty() || s.length() > 10) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        long v = Long.parseLong(s);
        return v > 0xFFFFFFFFL ? -1 : v;
    }

    private static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    /**
     * test_expand_all: replaces the variables of a command (or, with {@code skipUninitialized},
     * of a reply for a failure message, leaving {@code $} for unbound ones).
     */
    String expandAll(String line, boolean skipUninitialized) throws UninitializedVariable {
        if (line.indexOf('$') < 0) return line;
        StringBuilder out = new StringBuilder(line.length() + 32);
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c != '$' || i == n - 1) {
                out.append(c);
                i++;
                continue;
            }
            i++;
            char d = line.charAt(i);
            if (d == '$') {
                out.append('$');
                i++;
            } else if (d == '!') {
                while (i + 1 < n && line.charAt(i + 1) != ' ') i++;
                i++;
            } else {
                String name;
                if (d == '{') {
                    int close = line.indexOf('}', i + 1);
                    if (close < 0) throw new UninitializedVariable("(missing '}')");
                    name = line.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int p = i;
                    while (p < n && isVarChar(line.charAt(p))) p++;
                    name = line.substring(i, p);
                    i = p;
                }
                long seq = uint32(name);
                String value;
                if (seq >= 0) {
                    value = relativeSeq(seq);
                } else {
                    value = vars.get(name);
                    if (value == null) {
                        if (!skipUninitialized) throw new UninitializedVariable(name);
                        value = "$";
                    }
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    private String modseq(long idx, String value) {
        long v;
        try {
            if (value.isEmpty() || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return "$modseq-not-number";
            v = Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            return "$modseq-not-number";
        }
        if (highestModseqIdx > idx) return "$modseq-order-mismatch"; // a script error
        long atLeast = highestModseqValue + (idx - highestModseqIdx);
        String result = value;
        if (Long.compareUnsigned(v, atLeast) < 0) {
            result = "$modseq-at-least-" + Long.toUnsignedString(atLeast);
            v = atLeast;
        }
        highestModseqIdx = idx;
        highestModseqValue = v;
        return result;
    }

    /**
     * test_expand_input: expands {@code pattern} against {@code input}, binding unbound variables
     * from the input. Returns the expanded text, or null on an early mismatch. {@code icase[0]} is
     * cleared by {@code ${case:...}}.
     */
    String expandInput(String str, String input, boolean[] icase) {
        icase[0] = true;
        StringBuilder out = new StringBuilder();
        int si = 0;
        int ii = 0;
        int sl = str.length();
        while (si < sl) {
            char c = str.charAt(si);
            if (c != '$' || (si + 1 < sl && str.charAt(si + 1) == '$')) {
                if (c == '$') c = str.charAt(++si);
                char ic = ii < input.length() ? input.charAt(ii) : '\0';
                if (upper(c) != upper(ic)) return null;
                ii++;
                out.append(c);
                si++;
                continue;
            }
            si++;
            String name;
            if (si < sl && str.charAt(si) == '{') {
                int close = str.indexOf('}', si + 1);
                if (close < 0) return "";
                name = str.substring(si + 1, close);
                si = close + 1;
            } else {
                int p = si;
                while (p < sl && isVarChar(str.charAt(p))) p++;
                name = str.substring(si, p);
                si = p;
            }
            String value;
            long seq = uint32(name);
            if (seq >= 0) {
                value = relativeSeq(seq);
            } else if (name.startsWith("case:")) {
                value = name.substring(5);
                icase[0] = false;
            } else {
                value = name.isEmpty() ? null : vars.get(name);
                if (value == null) {
                    // the value runs up to the next character the pattern wants
                    String rest;
                    boolean ic2 = true;
                    if (si >= sl || str.charAt(si) != '$') {
                        rest = str.substring(si);
                    } else {
                        boolean[] b = {true};
                        rest = expandInput(str.substring(si), ii <= input.length() ? input.substring(ii) : "", b);
                        ic2 = b[0];
                        if (rest == null) rest = "";
                    }
                    int p = ii;
                    if (rest.isEmpty()) {
                        p = Math.max(ii, input.length());
                    } else {
                        char target = rest.charAt(0);
                        while (p < input.length() && (ic2 ? upper(input.charAt(p)) != upper(target) : input.charAt(p) != target)) p++;
                    }
                    String captured = ii <= input.length() ? input.substring(Math.min(ii, input.length()), Math.min(p, input.length())) : "";
                    String suffix = name.startsWith("modseq") ? name.substring(6) : null;
                    if (name.isEmpty()) {
                        value = captured;
                    } else if (suffix != null && uint32(suffix) >= 0) {
                        value = modseq(uint32(suffix), captured);
                        vars.put(name, value); // not reverted: the failure shows the modseq problem
                    } else {
                        vars.put(name, captured);
                        added.add(name);
                        value = captured;
                    }
                }
            }
            out.append(value);
            for (int k = 0; k < value.length(); k++, ii++) {
                if (ii >= input.length() || input.charAt(ii) != value.charAt(k)) return null;
            }
        }
        return out.toString();
    }

    /** test_imap_match_args from {@code match[mi]} against {@code args[ai]}, at most {@code max} arguments. */
    int matchArgs(List<ImapArg> match, int mi, List<ImapArg> args, int ai, int max, boolean prefix) {
        int ret = 0;
        for (; mi < match.size() && max > 0; mi++, ai++, max--) {
            ImapArg m = match.get(mi);
            ImapArg a = ai < args.size() ? args.get(ai) : null;
            switch (m) {
                case ImapArg.Nil n -> {
                    if (!(a instanceof ImapArg.Nil)) return ret;
                }
                case ImapArg.ListArg ml -> {
                    if (!(a instanceof ImapArg.ListArg al)) return ret;
                    int sub = matchList(ml.items(), al.items());
                    if (sub != MATCH) return ret + sub;
                }
                default -> {
                    String mstr = ImapArg.astring(m);
                    if (mstr.equals("$") && a instanceof ImapArg.ListArg) break; // "$" skips a list
                    if (mstr.equals("$]")) {
                        // skip until ']', e.g. "* OK [CAPABILITY $] text"
                        while (ai < args.size()) {
                            String s = ImapArg.atom(args.get(ai));
                            if (s == null || s.indexOf(']') >= 0) break;
                            ai++;
                        }
                        break;
                    }
                    String astr = a == null ? null : ImapArg.astring(a);
                    if (astr == null) return ret;
                    // imaptest compares C strings: both sides end at the first NUL (append-binary
                    // depends on it: its expected literal8 starts with a NUL)
                    mstr = cString(mstr);
                    astr = cString(astr);
                    boolean[] icase = {true};
                    String expanded = expandInput(mstr, astr, icase);
                    if (expanded == null) return ret;
                    boolean last = mi == match.size() - 1;
                    if (prefix && last) {
                        if (!astr.regionMatches(icase[0], 0, expanded, 0, expanded.length())) return ret;
                    } else if (icase[0] ? !astr.equalsIgnoreCase(expanded) : !astr.equals(expanded)) {
                        return ret;
                    }
                }
            }
            ret++;
        }
        return prefix || ai >= args.size() || max == 0 ? MATCH : ret;
    }

    private static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    /** test_imap_match_list: a list with its {@code $!} directives. */
    int matchList(List<ImapArg> match, List<ImapArg> args) {
        boolean unordered = false;
        int chain = 1;
        int noextra = -1;
        List<String> ignores = new ArrayList<>();
        List<String> bans = new ArrayList<>();
        int mi = 0;
        for (; mi < match.size() && Directives.isDirective(match.get(mi)); mi++) {
            String d = ImapArg.atom(match.get(mi)).substring(2);
            if (d.startsWith("unordered")) {
                unordered = true;
                if (noextra == -1) noextra = 0;
                if (d.length() > 9 && d.charAt(9) == '=') chain = Math.max(1, Integer.parseInt(d.substring(10)));
            } else if (d.equals("ordered")) {
                unordered = false;
            } else if (d.equals("extra")) {
                noextra = 0;
            } else if (d.equals("noextra")) {
                noextra = 1;
            } else if (d.startsWith("ignore=")) {
                ignores.add(d.substring(7));
            } else if (d.startsWith("ban=")) {
                bans.add(d.substring(4));
            }
        }
        if (noextra == -1) noextra = 1;
        if (!unordered) return matchArgs(match, mi, args, 0, MATCH, false);

        int argCount = args.size();
        if (argCount % chain != 0) return 0; // odd input, cannot match
        boolean[] matched = new boolean[argCount];
        int ret = 0;
        for (; mi < match.size(); mi += chain, ret++) {
            int i;
            for (i = 0; i < argCount; i += chain) {
                if (matchArgs(match, mi, args, i, chain, false) == MATCH) {
                    matched[i] = true;
                    break;
                }
            }
            if (i >= argCount) return ret; // not found
        }
        if (noextra > 0) {
            for (int i = 0; i < argCount; i += chain) {
                if (matched[i]) continue;
                String s = ImapArg.astring(args.get(i));
                if (s == null) continue;
                if (ignores.stream().noneMatch(s::equalsIgnoreCase)) return ret;
            }
        } else if (!bans.isEmpty()) {
            for (int i = 0; i < argCount; i += chain) {
                if (matched[i]) continue;
                String s = ImapArg.astring(args.get(i));
                if (s == null) continue;
                if (bans.stream().anyMatch(s::equalsIgnoreCase)) return ret;
            }
        }
        return MATCH;
    }

    /** Forgets the variables bound since the last {@link #keep()} (a failed untagged match). */
    void revert() {
        for (String v : added) vars.remove(v);
        added.clear();
    }

    void keep() {
        added.clear();
    }
}
