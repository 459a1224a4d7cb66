package dev.sealpost.conventions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * ARCHITECTURE: "RFC references at the line that implements them … docs/rfc-index.md lists every
 * RFC the project touches". Every {@code RFC n} (with or without a {@code §} section) in a comment
 * of a module's {@code src/main/java} or {@code src/test/java} must name an RFC in the first
 * column of the index; the failure lists each offending {@code file:line}.
 */
class RfcIndexTest {

    /** "RFC 5321", "RFC 5321 §4.5.5": a space, then the number (so IMAP's RFC822.SIZE is not a citation). */
    static final Pattern CITATION = Pattern.compile("\\bRFC (\\d{3,5})\\b");
    private static final Pattern NUMBER = Pattern.compile("\\b(\\d{3,5})\\b");

    final Path root = ProjectRoot.find();

    /** The RFC numbers of the index's first column ("5802 / 7677", "3501 §2.3.2" and the like). */
    static Set<Integer> indexed(String markdown) {
        Set<Integer> out = new TreeSet<>();
        for (String row : markdown.split("\n")) {
            if (!row.startsWith("|") || row.startsWith("|---")) continue;
            String[] cells = row.split("\\|");
            if (cells.length < 2) continue;
            Matcher m = NUMBER.matcher(cells[1].replaceAll("§[0-9.]+", ""));
            while (m.find()) out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    record Citation(String where, int rfc) {}

    List<Citation> citations() throws IOException {
        List<Citation> out = new ArrayList<>();
        for (Path module : ProjectRoot.modules(root)) {
            for (String tree : List.of("src/main/java", "src/test/java")) {
                Path dir = module.resolve(tree);
                if (!Files.isDirectory(dir)) continue;
                List<Path> files;
                try (Stream<Path> s = Files.walk(dir)) {
                    files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
                }
                for (Path f : files) {
                    for (JavaComments.Line l : JavaComments.of(ProjectRoot.read(f))) {
                        Matcher m = CITATION.matcher(l.text());
                        while (m.find()) out.add(new Citation(root.relativize(f) + ":" + l.number(), Integer.parseInt(m.group(1))));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyCitedRfcIsInTheIndex() throws IOException {
        Path index = root.resolve("docs/rfc-index.md");
        Set<Integer> known = indexed(ProjectRoot.read(index));
        assertThat(known).as("RFC numbers read from %s", index).hasSizeGreaterThan(50);
        List<Citation> all = citations();
        // the scan itself works: the sources cite RFCs on well over a thousand lines
        assertThat(all).as("RFC citations found in comments under %s", root).hasSizeGreaterThan(1000);
        List<String> missing = all.stream().filter(c -> !known.contains(c.rfc()))
                .map(c -> c.where() + ": RFC " + c.rfc()).toList();
        if (!missing.isEmpty()) {
            fail(missing.size() + " comment(s) cite an RFC missing from docs/rfc-index.md (add a row with"
                    + " its status and where it lives, or fix the citation):\n  " + String.join("\n  ", missing));
        }
    }

    @Test
    void commentsAreFoundAndLiteralsSkipped() {
        String src = """
                class A { // RFC 1 one
                  String s = "RFC 2 // not a comment"; char c = '"';
                  /* RFC 3
                   * RFC 4 §2.1 */ String t = \"""
                     RFC 5 /* text block */
                     \""";
                  /** RFC 6 */
                }
                """;
        List<String> found = JavaComments.of(src).stream().map(l -> l.number() + " " + l.text().strip()).toList();
        assertThat(found).containsExactly("1 // RFC 1 one", "3 /* RFC 3", "4 * RFC 4 §2.1 */", "7 /** RFC 6 */");
    }

    @Test
    void indexFirstColumnNumbers() {
        String md = """
                | RFC | title | status | where |
                |---|---|---|---|
                | 5802 / 7677 | SCRAM | yes | `core.sasl` mentions RFC 9999 |
                | 3501 §2.3.2 | \\Recent | yes | x |
                | draft-brand-indicators | BIMI | yes | x |
                """;
        assertThat(indexed(md)).containsExactly(3501, 5802, 7677);
    }
}
