package dev.sealpost.imap.proto;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** LIST patterns (RFC 9051 §6.3.9) matched without regular expressions. */
class ListPatternTest {

    private static boolean m(String ref, String pattern, String name) throws ImapSyntaxException {
        return ListPattern.of(ref, pattern).matches(name);
    }

    private static boolean m(String pattern, String name) throws ImapSyntaxException {
        return m("", pattern, name);
    }

    /** The translation used before (ImapSession.listPattern at 7d295fd): the reference of the differential test. */
    static Pattern regex(String ref, String pattern) {
        String full = pattern.startsWith("/") || ref.isEmpty() ? pattern : ref + pattern;
        if (full.regionMatches(true, 0, "INBOX", 0, 5) && (full.length() == 5 || full.charAt(5) == '/')) {
            full = "INBOX" + full.substring(5);
        }
        StringBuilder re = new StringBuilder();
        for (char c : full.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '%') re.append("[^/]*");
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Test
    void rfc9051Examples() throws Exception {
        // §6.3.9: "*" matches zero or more characters at this position, "%" like "*" without the delimiter
        assertThat(m("*", "INBOX")).isTrue();
        assertThat(m("*", "foo/bar/baz")).isTrue();
        // "foo*" matches "foo", "foobar" and "foo/bar"; "foo%" matches "foo" and "foobar", not "foo/bar"
        assertThat(m("foo*", "foo")).isTrue();
        assertThat(m("foo*", "foobar")).isTrue();
        assertThat(m("foo*", "foo/bar")).isTrue();
        assertThat(m("foo%", "foo")).isTrue();
        assertThat(m("foo%", "foobar")).isTrue();
        assertThat(m("foo%", "foo/bar")).isFalse();
        // C: A202 LIST ~/Mail/ %  ->  ~/Mail/foo and ~/Mail/meetings, not deeper names
        assertThat(m("~/Mail/", "%", "~/Mail/foo")).isTrue();
        assertThat(m("~/Mail/", "%", "~/Mail/meetings")).isTrue();
        assertThat(m("~/Mail/", "%", "~/Mail/foo/bar")).isFalse();
        assertThat(m("~/Mail/", "*", "~/Mail/foo/bar")).isTrue();
        // the reference is prefixed; a pattern starting with the delimiter stands alone
        assertThat(m("blurdybloop", "%", "blurdybloopx")).isTrue();
        assertThat(m("a/", "/b", "/b")).isTrue();
        assertThat(m("a/", "/b", "a//b")).isFalse();
        // characters other than the wildcards match themselves, regex metacharacters included
        assertThat(m("a.b", "a.b")).isTrue();
        assertThat(m("a.b", "axb")).isFalse();
        assertThat(m("[x]+(y)?\\Q", "[x]+(y)?\\Q")).isTrue();
        assertThat(m("", "")).isTrue();
        assertThat(m("", "a")).isFalse();
    }

    @Test
    void percentStopsAtTheDelimiterStarDoesNot() throws Exception {
        assertThat(m("%", "a")).isTrue();
        assertThat(m("%", "a/b")).isFalse();
        assertThat(m("%/%", "a/b")).isTrue();
        assertThat(m("%/%", "a/b/c")).isFalse();
        assertThat(m("%/*", "a/b/c")).isTrue();
        assertThat(m("*/%", "a/b/c")).isTrue();
        assertThat(m("%b", "a/b")).isFalse();
        assertThat(m("%%", "a/b")).isFalse();
        // runs of wildcards: "%*" and "*%" are "*"
        assertThat(m("%*", "a/b")).isTrue();
        assertThat(m("*%", "a/b")).isTrue();
        assertThat(m("a%%%c", "abbbc")).isTrue();
        assertThat(m("a%%%c", "ab/bc")).isFalse();
        assertThat(m("Other Users/%", "Other Users/bob@example.test")).isTrue();
        assertThat(m("Other Users/%", "Other Users/bob@example.test/INBOX")).isFalse();
    }

    @Test
    void inboxIsCaseInsensitive() throws Exception {
        // RFC 9051 §5.1: INBOX in any case is the INBOX; the store spells it INBOX
        for (String p : new String[] {"INBOX", "inbox", "InBoX", "i*", "inb%", "%X", "*", "%", "I%X", "i%x"}) {
            assertThat(m(p, "INBOX")).as(p).isTrue();
        }
        assertThat(m("inbox/%", "INBOX/Sent")).isTrue();
        assertThat(m("Inbox/sent", "INBOX/Sent")).isFalse(); // only INBOX itself is case-insensitive
        assertThat(m("", "inbox", "INBOX")).isTrue();
        // other names stay case-sensitive, also those that begin with the letters of INBOX
        assertThat(m("inbox*", "INBOXES")).isFalse();
        assertThat(m("i*", "Inboxes")).isFalse();
        assertThat(m("I*", "Inboxes")).isTrue();
        // ASCII only: U+0131 (dotless i) and U+212A (Kelvin) do not fold onto I and K
        assertThat(m("\u0131nbox", "INBOX")).isFalse();
        assertThat(m("\u0131*", "INBOX")).isFalse();
    }

    @Test
    void pathologicalPatternsTakeLinearSteps() throws Exception {
        String a200 = "a".repeat(200);
        ListPattern p = ListPattern.of("", "*a*a*a*a*a*b");
        // the old regex took 429 s here; the matcher takes at most (name + 1) x (tokens + 1) steps
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(p.matches(a200)).isFalse());
        assertThat(p.steps()).isLessThanOrEqualTo(201L * 13);
        ListPattern q = ListPattern.of("", "%a%a%a%a%a%a%a%b");
        assertThat(q.matches(a200 + "/" + a200)).isFalse();
        assertThat(q.steps()).isLessThanOrEqualTo(402L * 17);
        // the largest pattern against the largest name: bounded, and well under a second
        ListPattern big = ListPattern.of("", "*a".repeat(ListPattern.MAX_LENGTH / 2 - 1) + "*b");
        String name = "a".repeat(ListPattern.MAX_NAME);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(big.matches(name)).isFalse());
        assertThat(big.steps()).isLessThanOrEqualTo((ListPattern.MAX_NAME + 1L) * (ListPattern.MAX_LENGTH + 1L));
        // a literal prefix that fails ends the match at once
        ListPattern lit = ListPattern.of("", "x*a*a*a*b");
        assertThat(lit.matches(a200)).isFalse();
        assertThat(lit.steps()).isLessThanOrEqualTo(1);
    }

    @Test
    void bounds() throws Exception {
        assertThatThrownBy(() -> ListPattern.of("", "*".repeat(ListPattern.MAX_LENGTH + 1))).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> ListPattern.of("r".repeat(1500), "p".repeat(1000))).isInstanceOf(ImapSyntaxException.class);
        ListPattern star = ListPattern.of("", "*");
        assertThat(star.matches("a".repeat(ListPattern.MAX_NAME))).isTrue();
        assertThat(star.matches("a".repeat(ListPattern.MAX_NAME + 1))).isFalse();
    }

    @Test
    void sameAnswersAsTheOldRegexOnRandomSmallInputs() throws Exception {
        Random r = new Random(20261207);
        char[] nameChars = {'a', 'b', '/', '.', 'A'};
        char[] patChars = {'a', 'b', '/', '.', 'A', '*', '%', '*', '%'};
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            String name = random(r, nameChars, 9);
            String pat = random(r, patChars, 7);
            String ref = r.nextInt(4) == 0 ? random(r, nameChars, 3) : "";
            boolean want = regex(ref, pat).matcher(name).matches();
            assertThat(m(ref, pat, name)).as("ref '%s' pattern '%s' name '%s'", ref, pat, name).isEqualTo(want);
            if (want) hits++;
        }
        assertThat(hits).isGreaterThan(5_000); // the inputs exercise matches, not only misses
    }

    private static String random(Random r, char[] alphabet, int maxLen) {
        int n = r.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(alphabet[r.nextInt(alphabet.length)]);
        return sb.toString();
    }
}
