package dev.sealpost.dns;

import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The publicsuffix/list test suite (../shared/conformance/dmarc/psl), both of its files, on the run-time and bundled lists. */
class PublicSuffixListTest {
    static final Path PSL_DIR = SharedSuite.path("dmarc/psl");
    /** The suite's case count: a case that stops passing fails the build. */
    static final int CASES = 78;

    record Case(String input, String expected, int line) {}

    static List<Case> testsTxt() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(PSL_DIR.resolve("tests.txt"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("//")) continue;
            String[] p = l.split("\\s+");
            assertThat(p).as("tests.txt line %d", i + 1).hasSize(2);
            cases.add(new Case(nul(p[0]), nul(p[1]), i + 1));
        }
        return cases;
    }

    static List<Case> testPslTxt() throws IOException {
        Pattern call = Pattern.compile("checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);");
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(PSL_DIR.resolve("test_psl.txt"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("//")) continue;
            Matcher m = call.matcher(l);
            assertThat(m.matches()).as("test_psl.txt line %d: %s", i + 1, l).isTrue();
            cases.add(new Case(unquote(m.group(1)), unquote(m.group(2)), i + 1));
        }
        return cases;
    }

    private static String nul(String s) { return s.equals("null") ? null : s; }

    private static String unquote(String s) { return s.equals("null") ? null : s.substring(1, s.length() - 1); }

    private static int passing(PublicSuffixList psl, List<Case> cases, List<String> failures) {
        int ok = 0;
        for (Case c : cases) {
            String got = psl.organizationalDomain(c.input());
            if (java.util.Objects.equals(got, c.expected())) ok++;
            else failures.add("line " + c.line() + ": " + c.input() + " -> " + got + ", expected " + c.expected());
        }
        return ok;
    }

    @Test
    void testsTxtAllPassWithTheSuiteList() throws IOException {
        PublicSuffixList psl = PublicSuffixList.load(PSL_DIR.resolve("public_suffix_list.dat"));
        List<String> failures = new ArrayList<>();
        List<Case> cases = testsTxt();
        assertThat(cases).hasSize(CASES);
        assertThat(passing(psl, cases, failures)).as("failures: %s", failures).isEqualTo(CASES);
    }

    @Test
    void testPslTxtAllPassWithTheBundledList() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Case> cases = testPslTxt();
        assertThat(cases).hasSize(CASES);
        assertThat(passing(PublicSuffixList.bundled(), cases, failures)).as("failures: %s", failures).isEqualTo(CASES);
    }

    @Test
    void publicSuffixAndHelpers() {
        PublicSuffixList psl = PublicSuffixList.bundled();
        assertThat(psl.publicSuffix("www.example.co.uk")).isEqualTo("co.uk");
        assertThat(psl.publicSuffix("a.b.c.kobe.jp")).isEqualTo("c.kobe.jp");
        assertThat(psl.publicSuffix("www.city.kobe.jp")).isEqualTo("kobe.jp");
        assertThat(psl.publicSuffix("foo.unlisted-tld")).isEqualTo("unlisted-tld");
        assertThat(psl.isPublicSuffix("co.uk")).isTrue();
        assertThat(psl.isPublicSuffix("example.co.uk")).isFalse();
        assertThat(psl.organizationalDomain("mail.example.com.")).isEqualTo("example.com"); // absolute name
        assertThat(psl.organizationalDomain("a..example.com")).isNull();
        assertThat(psl.organizationalDomain("www.食狮。公司。cn")).isEqualTo("食狮.公司.cn"); // ideographic full stop
    }

    @Test
    void loadsAFileAtRunTime(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("psl.dat");
        Files.writeString(f, "// comment\ncom\n*.example\n!keep.example\nbar.com  trailing words ignored\n");
        PublicSuffixList psl = PublicSuffixList.load(f);
        assertThat(psl.organizationalDomain("a.b.bar.com")).isEqualTo("b.bar.com");
        assertThat(psl.organizationalDomain("x.y.example")).isEqualTo("x.y.example");
        assertThat(psl.organizationalDomain("y.example")).isNull();
        assertThat(psl.organizationalDomain("a.keep.example")).isEqualTo("keep.example");
        Files.writeString(f, "// nothing\n");
        assertThatThrownBy(() -> PublicSuffixList.load(f)).isInstanceOf(IOException.class);
    }
}
