package dev.sealpost.imap.server.cmd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Replays an RFC-style dialogue against a live connection.
 *
 * <ul>
 *   <li>{@code C: line} is sent verbatim (CRLF appended). A {@code {auto}} or {@code {auto+}} literal
 *       marker is replaced by the octet count of the {@code C| } lines that follow it (after any
 *       {@code S:} continuation), each of which is sent with CRLF as the literal's content.</li>
 *   <li>{@code S: line} is one physical server line. It must match exactly, except that {@code …}
 *       matches any run of characters (used, with a comment at each use, where the RFC's value is
 *       not determined: UIDVALIDITY, dates, human-readable text, capability lists).</li>
 *   <li>{@code S~ regex} is one physical server line matched by a regular expression.</li>
 *   <li>{@code S? line} is like {@code S:} but may come anywhere in its block: RFC 9051 does not fix
 *       the order of untagged responses (e.g. those of SELECT), so examples that list them in another
 *       order than the server sends them mark them with {@code S?}.</li>
 *   <li>In {@code S:} and {@code S?} lines the members of a {@code FLAGS (...)} list may come in any
 *       order: a flag list is a set (RFC 9051 §2.3.2), and the server does not keep one order.</li>
 *   <li>{@code \Recent} is left out of the server's FLAGS lists, and its {@code * n RECENT} lines are
 *       skipped unless the block expects one: the RFC 9051 examples are IMAP4rev2, which has no
 *       \Recent, while these sessions are IMAP4rev1 ones, where the server keeps it (RFC 3501
 *       §2.3.2); imaptest compares FLAGS the same way.</li>
 *   <li>Lines starting with {@code #} and blank lines are ignored; so is leading indentation.</li>
 * </ul>
 *
 * A block of S lines after a command is read up to the response tagged with that command's tag when
 * the block ends with such a line; otherwise exactly as many lines as the block has are read. On a
 * mismatch the whole expected block and what the server sent are reported.
 */
final class Transcript {
    private Transcript() {
    }

    static void play(Conn c, String script) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String raw : script.strip().split("\n")) {
            String l = raw.stripLeading();
            if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
            if (l.isEmpty() || l.startsWith("#")) continue;
            lines.add(l);
        }
        String lastTag = null;
        for (int i = 0; i < lines.size(); ) {
            String l = lines.get(i);
            if (l.startsWith("C:") || l.startsWith("C|")) {
                String text = l.length() > 3 ? l.substring(3) : "";
                if (l.startsWith("C:")) {
                    if (text.contains("{auto")) text = withLiteralSize(lines, i, text);
                    int sp = text.indexOf(' ');
                    if (sp > 0 && !text.startsWith("C|")) {
                        String first = text.substring(0, sp);
                        if (!first.isEmpty() && first.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '.')) lastTag = first;
                    }
                }
                c.send(text);
                i++;
                continue;
            }
            if (!l.startsWith("S:") && !l.startsWith("S~") && !l.startsWith("S?")) throw new IllegalArgumentException("bad transcript line: " + l);
            List<String> block = new ArrayList<>();
            while (i < lines.size() && (lines.get(i).startsWith("S:") || lines.get(i).startsWith("S~") || lines.get(i).startsWith("S?"))) block.add(lines.get(i++));
            expect(c, block, lastTag);
        }
    }

    private static String withLiteralSize(List<String> lines, int at, String text) {
        int j = at + 1;
        while (j < lines.size() && !lines.get(j).startsWith("C|")) j++;
        int n = 0;
        while (j < lines.size() && lines.get(j).startsWith("C|")) {
            String t = lines.get(j).length() > 3 ? lines.get(j).substring(3) : "";
            n += t.getBytes(StandardCharsets.UTF_8).length + 2;
            j++;
        }
        return text.replace("{auto}", "{" + n + "}").replace("{auto+}", "{" + n + "+}");
    }

    private static void expect(Conn c, List<String> block, String tag) throws IOException {
        String last = body(block.getLast());
        boolean toTag = tag != null && last.startsWith(tag + " ");
        boolean wantsRecent = block.stream().anyMatch(b -> RECENT_LINE.matcher(body(b)).matches());
        List<String> got = new ArrayList<>();
        if (toTag) {
            while (true) {
                List<String> r = c.response();
                if (r == null) break;
                got.addAll(withoutRecent(r, wantsRecent));
                if (r.getFirst().startsWith(tag + " ")) break;
            }
        } else {
            while (got.size() < block.size()) {
                List<String> r = c.response();
                if (r == null) break;
                got.addAll(withoutRecent(r, wantsRecent));
            }
        }
        boolean ok = got.size() == block.size();
        if (ok) {
            List<String> rest = new ArrayList<>(got);
            List<String> ordered = new ArrayList<>();
            for (String b : block) {
                if (!b.startsWith("S?")) {
                    ordered.add(b);
                    continue;
                }
                String hit = null;
                for (String g : rest) {
                    if (matches("S: " + body(b), g)) {
                        hit = g;
                        break;
                    }
                }
                if (hit == null) ok = false;
                else rest.remove(hit);
            }
            for (int k = 0; ok && k < ordered.size(); k++) ok = matches(ordered.get(k), rest.get(k));
        }
        if (!ok) {
            StringBuilder sb = new StringBuilder("transcript mismatch\n--- expected\n");
            for (String b : block) sb.append(b).append('\n');
            sb.append("--- server sent\n");
            for (String g : got) sb.append("S: ").append(g).append('\n');
            throw new AssertionError(sb.toString());
        }
    }

    private static final Pattern RECENT_LINE = Pattern.compile("\\* \\d+ RECENT");

    /** One line without IMAP4rev1's \\Recent in its FLAGS lists (see the class comment). */
    static String rev2(String line) {
        return withoutRecent(List.of(line), true).getFirst();
    }

    /** The lines without IMAP4rev1's \\Recent (see the class comment). */
    static List<String> withoutRecent(List<String> lines, boolean keepRecentLines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!keepRecentLines && RECENT_LINE.matcher(l).matches()) continue;
            out.add(FLAG_LIST.matcher(l).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)
                    + String.join(" ", java.util.Arrays.stream(m.group(2).split(" ")).filter(f -> !f.isEmpty() && !f.equalsIgnoreCase("\\Recent")).toList())
                    + m.group(3))));
        }
        return out;
    }

    private static String body(String l) {
        return l.length() > 3 ? l.substring(3) : "";
    }

    private static final Pattern FLAG_LIST = Pattern.compile("(FLAGS \\()([^()]*)(\\))");

    /** Sorts the members of every {@code FLAGS (...)} list: a flag list is a set (RFC 9051 §2.3.2). */
    static String sortFlags(String line) {
        return FLAG_LIST.matcher(line).replaceAll(m -> {
            String[] f = m.group(2).isEmpty() ? new String[0] : m.group(2).split(" ");
            java.util.Arrays.sort(f);
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + String.join(" ", f) + m.group(3));
        });
    }

    static boolean matches(String expected, String actual) {
        String e = body(expected);
        if (expected.startsWith("S~")) return Pattern.compile(e).matcher(actual).matches();
        e = sortFlags(e);
        actual = sortFlags(actual);
        if (!e.contains("…")) return e.equals(actual);
        StringBuilder re = new StringBuilder();
        String[] parts = e.split("…", -1);
        for (int k = 0; k < parts.length; k++) {
            if (k > 0) re.append(".*?");
            re.append(Pattern.quote(parts[k]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(actual).matches();
    }
}
