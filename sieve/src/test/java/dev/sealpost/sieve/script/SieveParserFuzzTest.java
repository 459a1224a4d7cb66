package dev.sealpost.sieve.script;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the Sieve parser and compiler (users' scripts are untrusted): they never throw,
 * stay within their limits, and a limit failure is named. Seeds:
 * {@code src/test/resources/dev/sealpost/sieve/script/SieveParserFuzzTestInputs/parse/}.
 */
class SieveParserFuzzTest {
    static final ParseLimits SMALL = new ParseLimits(4096, 8, 256, 200, 16);

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        SieveParser.Result r = SieveParser.parse(text, SMALL);
        if (r instanceof SieveParser.Parsed p) {
            int[] count = {0};
            p.script().commands().forEach(c -> walk(c, 1, count));
            if (count[0] > SMALL.maxCommands()) throw new AssertionError("more commands than the limit");
        } else if (r instanceof SieveParser.Failed f) {
            if (f.error().line() < 0) throw new AssertionError("negative line");
        }
        SieveCompiler.Result c = SieveCompiler.compile(text, Language.standard(), SMALL);
        if (c instanceof SieveCompiler.Errors e && e.errors().isEmpty()) throw new AssertionError("errors without an error");
    }

    private static void walk(Ast.Command c, int depth, int[] count) {
        count[0]++;
        if (depth > SMALL.maxNesting() + 1) throw new AssertionError("nesting " + depth);
        for (Ast.Argument a : c.args()) {
            if (a instanceof Ast.Strings s) for (String v : s.values()) if (v.length() > SMALL.maxStringChars()) throw new AssertionError("long string");
        }
        if (c.block() != null) c.block().forEach(x -> walk(x, depth + 1, count));
    }
}
