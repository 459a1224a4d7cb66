package dev.sealpost.sieve.run;

import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Scripts that try to exhaust each run-time bound: each is stopped with its own error and the implicit keep. */
class BoundsTest {
    static final MessageEnvironment ENV = new MessageEnvironment("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8),
            Map.of("from", List.of("a@example.org"), "to", List.of("b@example.com")));

    static Result run(String script, Interpreter.Options o) {
        SieveCompiler.Result c = SieveCompiler.compile(script);
        assertThat(c).isInstanceOf(SieveCompiler.Ok.class);
        return new Interpreter(o, Map.of(), Map.of()).run(((SieveCompiler.Ok) c).script(), ENV);
    }

    static void stoppedBy(Result r, SieveError.Kind kind) {
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).isEqualTo(kind);
        assertThat(r.actions()).isEmpty();
        assertThat(r.implicitKeep()).isTrue();
    }

    /** A script that doubles a string until something gives: 2^20 steps of work in 30 commands. */
    static final String DOUBLING = "require \"variables\"; set \"a\" \"xxxxxxxxxxxxxxxx\";"
            + " set \"a\" \"${a}${a}\";".repeat(30);

    @Test
    void cpuSteps() {
        String many = "if true { discard; }".repeat(3000);
        stoppedBy(run(many, new Interpreter.Options(1000, 128, 4, 4000, "+")), SieveError.Kind.LIMIT_STEPS);
    }

    @Test
    void wallClock() {
        // a huge step budget and a regex-free but slow script: :matches over long values, many times
        String slow = "require \"variables\"; set \"a\" \"" + "ab".repeat(1000) + "\";"
                + " if string :matches \"${a}\" \"*a*b*a*b*a*b*a*b*c\" { discard; }".repeat(3000);
        Interpreter.Options o = new Interpreter.Options(10_000_000, 128, 4, 4000, "+", 1, 1 << 20, 512, 10);
        stoppedBy(run(slow, o), SieveError.Kind.LIMIT_TIME);
    }

    @Test
    void stringSize() {
        Interpreter.Options o = new Interpreter.Options(100_000, 128, 4, 1 << 30, "+", 10_000, 100_000, 512, 10);
        stoppedBy(run(DOUBLING, o), SieveError.Kind.LIMIT_STRING_SIZE);
    }

    @Test
    void variableSizeIsCutAndCountIsBounded() {
        Result cut = run(DOUBLING, Interpreter.Options.defaults());
        assertThat(cut.failed()).isFalse(); // RFC 5229 §3: values are cut at the bound, not an error
        StringBuilder s = new StringBuilder("require \"variables\";");
        for (int i = 0; i < 600; i++) s.append(" set \"v").append(i).append("\" \"x\";");
        stoppedBy(run(s.toString(), Interpreter.Options.defaults()), SieveError.Kind.LIMIT_VARIABLES);
    }

    @Test
    void actionsAndRedirects() {
        StringBuilder s = new StringBuilder("require \"fileinto\";");
        for (int i = 0; i < 200; i++) s.append(" fileinto \"box").append(i).append("\";");
        stoppedBy(run(s.toString(), Interpreter.Options.defaults()), SieveError.Kind.LIMIT_ACTIONS);
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < 10; i++) r.append(" redirect \"u").append(i).append("@example.net\";");
        stoppedBy(run(r.toString(), Interpreter.Options.defaults()), SieveError.Kind.LIMIT_REDIRECTS);
    }

    @Test
    void nestingIsRefusedAtCompileTime() {
        String deep = "if true {".repeat(100) + "}".repeat(100);
        SieveCompiler.Result c = SieveCompiler.compile(deep);
        assertThat(c).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(((SieveCompiler.Errors) c).errors().getFirst().kind()).isEqualTo(SieveError.Kind.LIMIT_NESTING);
    }

    @Test
    void includeDepth() {
        Environment chain = new ExtensionsTest.Env("Subject: x\n\nb\n", "a@example.org", Map.of()) {
            @Override public java.util.Optional<String> includeScript(String name, boolean global) {
                int n = Integer.parseInt(name.substring(1));
                return java.util.Optional.of("require \"include\"; include \"s" + (n + 1) + "\";");
            }
        };
        SieveCompiler.Result c = SieveCompiler.compile("require \"include\"; include \"s0\";");
        Result r = new Interpreter().run(((SieveCompiler.Ok) c).script(), chain);
        stoppedBy(r, SieveError.Kind.LIMIT_INCLUDE);
        assertThat(r.error().message()).contains("nested more than 10");
    }
}
