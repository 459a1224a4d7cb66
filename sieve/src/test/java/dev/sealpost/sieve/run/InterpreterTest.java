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
        Result bad = run("redirect \"not an address\";");
        assertThat(bad.failed()).isTrue();
        assertThat(bad.implicitKeep()).isTrue();
        assertThat(bad.actions()).isEmpty();
    }
}
