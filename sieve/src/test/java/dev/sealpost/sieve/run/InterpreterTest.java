package dev.sealpost.sieve.run;

import dev.sealpost.sieve.script.SieveCompiler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InterpreterTest {
    static final byte[] MAIL = """
            From: "Alice" <alice+lists@example.org>
            To: bob@example.com, carol@example.net
            Subject: [acme-users] [fwd] version 1.0 is out

            body text
            """.getBytes(StandardCharsets.UTF_8);

    static Result run(String script) {
        SieveCompiler.Result c = SieveCompiler.compile(script);
        assertThat(c).isInstanceOf(SieveCompiler.Ok.class);
        return new Interpreter().run(((SieveCompiler.Ok) c).script(),
                new MessageEnvironment(MAIL, Map.of("from", List.of("alice@example.org"), "to", List.of("bob@example.com"))));
    }

    @Test
    void implicitKeepAndFileinto() {
        assertThat(run("if false { discard; }").implicitKeep()).isTrue();
        Result r = run("require [\"fileinto\", \"copy\"]; fileinto :copy \"a\"; if address :domain \"to\" \"example.net\" { fileinto \"b\"; fileinto \"b\"; }");
        assertThat(r.actions()).containsExactly(new Action.FileInto("a", true, List.of(), false), new Action.FileInto("b", false, List.of(), false));
        assertThat(r.implicitKeep()).isFalse();
    }

    @Test
    void variablesAndMatchVariables() {
        Result r = run("""
                require ["variables", "fileinto", "subaddress"];
                if header :matches "subject" "[*] *" { set :upperfirst "list" "${1}"; }
                if address :detail "from" "lists" { fileinto "${list}"; }
                """);
        assertThat(r.actions()).containsExactly(new Action.FileInto("Acme-users", false, List.of(), false));
    }

    @Test
    void relationalEnvelopeAndRedirect() {
        Result r = run("""
                require ["relational", "comparator-i;ascii-numeric", "envelope"];
                if allof (address :count "eq" :comparator "i;ascii-numeric" "to" "2", envelope :is "from" "alice@example.org") {
                  redirect "dave@example.com"; stop;
                }
                keep;
                """);
        assertThat(r.actions()).containsExactly(new Action.Redirect("dave@example.com", false));
        assertThat(r.implicitKeep()).isFalse();
    }

    @Test
    void flagsAndRejectAndErrors() {
        Result r = run("require [\"imap4flags\", \"reject\"]; addflag \"\\\\Seen\"; keep; reject \"no\";");
        assertThat(r.actions()).containsExactly(new Action.Keep(List.of("\\Seen")), new Action.Reject("no", false));
        Result bad = run("require \"variables\"; set \"a\" \"not an address\"; redirect \"${a}\";");
        assertThat(bad.failed()).isTrue();
        assertThat(bad.implicitKeep()).isTrue();
        assertThat(bad.actions()).isEmpty();
    }

    @Test
    void runtimeBoundsAreNamedErrors() {
        var c = ((SieveCompiler.Ok) SieveCompiler.compile("redirect \"a@example.com\"; redirect \"b@example.com\"; redirect \"c@example.com\";")).script();
        Result r = new Interpreter(new Interpreter.Options(1000, 10, 2, 100, "+"), Map.of(), Map.of()).run(c, new MessageEnvironment(MAIL, Map.of()));
        assertThat(r.error().kind()).isEqualTo(dev.sealpost.sieve.script.SieveError.Kind.LIMIT_REDIRECTS);
        assertThat(r.implicitKeep()).isTrue();
        var many = ((SieveCompiler.Ok) SieveCompiler.compile("require \"fileinto\"; fileinto \"a\"; fileinto \"b\"; fileinto \"c\";")).script();
        r = new Interpreter(new Interpreter.Options(1000, 2, 2, 100, "+"), Map.of(), Map.of()).run(many, new MessageEnvironment(MAIL, Map.of()));
        assertThat(r.error().kind()).isEqualTo(dev.sealpost.sieve.script.SieveError.Kind.LIMIT_ACTIONS);
        var loop = ((SieveCompiler.Ok) SieveCompiler.compile("if true { keep; } if true { keep; } if true { keep; }")).script();
        r = new Interpreter(new Interpreter.Options(4, 10, 2, 100, "+"), Map.of(), Map.of()).run(loop, new MessageEnvironment(MAIL, Map.of()));
        assertThat(r.error().kind()).isEqualTo(dev.sealpost.sieve.script.SieveError.Kind.LIMIT_STEPS);
    }

    @Test
    void matchesWildcardsEscapesAndNoBacktracking() {
        assertThat(dev.sealpost.sieve.internal.Match.matches("i;octet", "a.b.c", "*.*")).containsExactly("a", "b.c");
        assertThat(dev.sealpost.sieve.internal.Match.matches("i;octet", "a*b", "a\\*?")).containsExactly("b");
        assertThat(dev.sealpost.sieve.internal.Match.matches("i;octet", "axb", "a\\*?")).isNull();
        assertThat(dev.sealpost.sieve.internal.Match.matches("i;ascii-casemap", "ABC", "a?c")).containsExactly("B");
        String many = "a".repeat(20_000);
        assertThat(dev.sealpost.sieve.internal.Match.matches("i;octet", many, "*a*a*a*a*a*a*b")).isNull();
    }
}
