package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost sieve check|test}, driven through picocli as the launcher does. */
class SieveCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out) {}

    static Run run(String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(sw, true));
        cl.setErr(new PrintWriter(sw, true));
        int code = cl.execute(args);
        return new Run(code, sw.toString());
    }

    @Test
    void checkAcceptsAGoodScript() throws Exception {
        Path f = dir.resolve("good.sieve");
        Files.writeString(f, "require [\"fileinto\", \"vacation\"];\nif header :contains \"subject\" \"x\" { fileinto \"X\"; }\nvacation \"away\";\n");
        Run r = run("sieve", "check", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(f + ": ok\n");
    }

    @Test
    void checkReportsFileLineColumn() throws Exception {
        Path syntax = dir.resolve("syntax.sieve");
        Files.writeString(syntax, "keep;\nif true {\n  discard;\n  fileinto \"a\" \"b\"\n");
        Run r = run("sieve", "check", syntax.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).matches("\\Q" + syntax + "\\E:\\d+:\\d+: .+\\n");
        Path semantic = dir.resolve("semantic.sieve");
        Files.writeString(semantic, "keep;\n   fileinto \"a\";\n");
        Run s = run("sieve", "check", semantic.toString());
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.out()).isEqualTo(semantic + ":2:4: command 'fileinto' needs require \"fileinto\"\n");
    }

    @Test
    void testRunsSvtestFilesAndCounts() throws Exception {
        Path f = dir.resolve("mine.svtest");
        Files.writeString(f, """
                require "vnd.dovecot.testsuite";
                require "variables";
                test_set "message" text:
                Subject: hello
                
                body
                .
                ;
                test "subject \\"quoted\\" is hello" {
                    if not header :is "subject" "hello" { test_fail "wrong subject"; }
                }
                test "fails on purpose" {
                    test_fail "because ${x}";
                }
                """);
        Run r = run("sieve", "test", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("ok subject \"quoted\" is hello\nFAIL fails on purpose: because \n1 passed, 1 failed\n");
        Path good = dir.resolve("good.svtest");
        Files.writeString(good, "require \"vnd.dovecot.testsuite\";\ntest \"t\" { if false { test_fail \"no\"; } }\n");
        Run g = run("sieve", "test", good.toString());
        assertThat(g.code()).isZero();
        assertThat(g.out()).isEqualTo("ok t\n1 passed, 0 failed\n");
    }
}
