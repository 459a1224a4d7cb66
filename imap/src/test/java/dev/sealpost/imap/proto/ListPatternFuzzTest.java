package dev.sealpost.imap.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@link ListPattern}: the input is a pattern and a mailbox name separated by the
 * first NUL (UTF-8, malformed octets replaced). Properties:
 * <ul>
 *   <li>only {@link ImapSyntaxException} is thrown, and only for a pattern over {@link ListPattern#MAX_LENGTH};</li>
 *   <li>one match takes at most (name length + 1) × (pattern length + 1) steps: no backtracking;</li>
 *   <li>on small inputs whose name is not INBOX (where the matcher adds case-insensitivity) the
 *       answer equals the old regular-expression translation ({@link ListPatternTest#regex}); only
 *       with at most 6 wildcards, because that regex backtracks exponentially in their number (the
 *       seeds {@code regex-reference-backtracks-*}, found as slow units in the first session).</li>
 * </ul>
 * Seeds: {@code src/test/resources/dev/sealpost/imap/proto/ListPatternFuzzTestInputs/match/}.
 */
class ListPatternFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void match(byte[] input) {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) nul++;
        String pattern = new String(input, 0, nul, StandardCharsets.UTF_8);
        String name = nul < input.length ? new String(input, nul + 1, input.length - nul - 1, StandardCharsets.UTF_8) : "";
        for (String ref : new String[] {"", "a/"}) {
            ListPattern p;
            try {
                p = ListPattern.of(ref, pattern);
            } catch (ImapSyntaxException e) {
                check((ref + pattern).length() > ListPattern.MAX_LENGTH, "refused a short pattern: %s", e.getMessage());
                continue;
            }
            boolean hit = p.matches(name);
            long bound = (long) (name.length() + 1) * (p.text().length() + 2);
            check(p.steps() <= bound, "%d steps for %d x %d", p.steps(), name.length(), p.text().length());
            // the regex backtracks too (that was the bug): compare only where it is quick
            if (name.length() <= 24 && p.text().length() <= 24 && wildcards(p.text()) <= 6 && !name.startsWith("INBOX")) {
                boolean old = ListPatternTest.regex(ref, pattern).matcher(name).matches();
                check(hit == old, "pattern %s name %s: %s, the regex says %s", p.text(), name, hit, old);
            }
        }
    }

    private static long wildcards(String s) {
        return s.chars().filter(c -> c == '*' || c == '%').count();
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
