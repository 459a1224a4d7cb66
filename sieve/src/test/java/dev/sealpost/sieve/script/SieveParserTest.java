package dev.sealpost.sieve.script;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SieveParserTest {
    static Ast.Script parsed(String s) {
        return ((SieveParser.Parsed) SieveParser.parse(s)).script();
    }

    static SieveError failed(String s, ParseLimits limits) {
        return ((SieveParser.Failed) SieveParser.parse(s, limits)).error();
    }

    @Test
    void commandsTestsAndArguments() {
        Ast.Script s = parsed("""
                require ["fileinto"]; # comment
                /* bracketed
                   comment */
                if anyof (header :contains "subject" "x", size :over 1K) { fileinto "a"; } else { keep; }
                """);
        assertThat(s.commands()).extracting(Ast.Command::name).containsExactly("require", "if", "else");
        Ast.Command iff = s.commands().get(1);
        assertThat(iff.line()).isEqualTo(4);
        assertThat(iff.tests().getFirst().tests()).hasSize(2);
        assertThat(iff.tests().getFirst().tests().get(1).args()).containsExactly(new Ast.Tag("over", 4), new Ast.Num(1024, 4));
    }

    @Test
    void multilineStringsAreDotUnstuffed() {
        Ast.Script s = parsed("reject text: # c\r\nline 1\r\n..dot\r\n.\r\n;");
        assertThat(((Ast.Strings) s.commands().getFirst().args().getFirst()).values()).containsExactly("line 1\r\n.dot\r\n");
    }

    @Test
    void quotedEscapesAndQuantifiers() {
        Ast.Script s = parsed("x \"a\\\"b\\\\c\\q\" 2M 3g;");
        assertThat(s.commands().getFirst().args()).containsExactly(
                new Ast.Strings(List.of("a\"b\\cq"), true, 1), new Ast.Num(2L << 20, 1), new Ast.Num(3L << 30, 1));
    }

    @Test
    void errorsCarryLinesAndLimitsAreNamed() {
        assertThat(failed("keep;\nkeep\n", ParseLimits.defaults()).line()).isEqualTo(3);
        assertThat(failed("if true { if true { if true { keep; } } }", new ParseLimits(1000, 2, 100, 100, 10)).kind())
                .isEqualTo(SieveError.Kind.LIMIT_NESTING);
        assertThat(failed("keep; keep; keep;", new ParseLimits(1000, 2, 100, 2, 10)).kind()).isEqualTo(SieveError.Kind.LIMIT_COMMANDS);
        assertThat(failed("x \"abcdef\";", new ParseLimits(1000, 2, 3, 2, 10)).kind()).isEqualTo(SieveError.Kind.LIMIT_STRING_LENGTH);
        assertThat(failed("keep;", new ParseLimits(2, 2, 3, 2, 10)).kind()).isEqualTo(SieveError.Kind.LIMIT_SCRIPT_SIZE);
        assertThat(failed("x 99999999999999999999;", ParseLimits.defaults()).kind()).isEqualTo(SieveError.Kind.SYNTAX);
        assertThat(failed("x \"a", ParseLimits.defaults()).message()).contains("unterminated");
        assertThat(failed("x text:\nabc\n", ParseLimits.defaults()).message()).contains("unterminated");
    }

    @Test
    void compilerChecksRequireShapesAndTags() {
        assertThat(SieveCompiler.compile("fileinto \"x\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("require \"nosuch\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("require \"fileinto\"; fileinto \"x\";")).isInstanceOf(SieveCompiler.Ok.class);
        assertThat(SieveCompiler.compile("keep; require \"fileinto\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("if header :is :contains \"a\" \"b\" { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("if header :count \"eq\" \"a\" \"b\" { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("if header :comparator \"i;nope\" \"a\" \"b\" { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("if size 10 { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("else { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("redirect;")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("redirect \"no address\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("require \"variables\"; redirect \"${a}\";")).isInstanceOf(SieveCompiler.Ok.class);
        SieveCompiler.Errors e = (SieveCompiler.Errors) SieveCompiler.compile("keep;\n\nfrob;");
        assertThat(e.errors().getFirst().line()).isEqualTo(3);
    }
}
