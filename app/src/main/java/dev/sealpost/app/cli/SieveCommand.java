package dev.sealpost.app.cli;

import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import dev.sealpost.sieve.testsuite.DovecotTestsuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code sealpost sieve check FILE} compiles a Sieve script (RFC 5228 and the extensions of the
 * sieve module) and prints each error as {@code FILE:LINE:COL: message}; {@code sealpost sieve
 * test FILE...} runs Pigeonhole-style {@code .svtest} files (the vnd.dovecot.testsuite extension)
 * and prints one line per test block and a total. Both exit 1 when anything failed.
 */
@Command(name = "sieve", description = "Check Sieve scripts and run Pigeonhole-style .svtest files.",
        mixinStandardHelpOptions = true, subcommands = SieveGlobalCommand.class)
public final class SieveCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "check", description = "Compile a Sieve script; print errors as FILE:LINE:COL: message; exit 1 on error.")
    int check(@Parameters(paramLabel = "FILE") Path file) {
        PrintWriter out = spec.commandLine().getOut();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println(file + ":0:0: cannot read: " + e.getMessage());
            out.flush();
            return 1;
        }
        SieveCompiler.Result r = SieveCompiler.compile(text);
        if (r instanceof SieveCompiler.Errors e) {
            for (SieveError err : e.errors()) out.println(file + ":" + err.line() + ":" + column(text, err) + ": " + err.message());
            out.flush();
            return 1;
        }
        out.println(file + ": ok");
        out.flush();
        return 0;
    }

    @Command(name = "test", description = "Run .svtest files: 'ok NAME' or 'FAIL NAME: reason' per test, then 'N passed, M failed'.")
    int test(@Parameters(paramLabel = "FILE", arity = "1..*") List<Path> files) {
        PrintWriter out = spec.commandLine().getOut();
        int passed = 0, failed = 0;
        for (Path f : files) {
            DovecotTestsuite.FileResult r;
            try {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                // Pigeonhole's .svtest.in files: a line marked #UTF8# is left out (no UTF-8 mailbox names)
                if (f.toString().endsWith(".in")) text = text.replaceAll("(?m)^#UTF8#.*$", "");
                r = new DovecotTestsuite(f.toAbsolutePath().getParent()).runFile(text);
            } catch (IOException e) {
                out.println("FAIL " + f + ": cannot read: " + e.getMessage());
                failed++;
                continue;
            }
            for (Map.Entry<String, Boolean> b : r.blocks().entrySet()) {
                if (b.getValue()) {
                    out.println("ok " + b.getKey());
                    passed++;
                } else {
                    out.println("FAIL " + b.getKey() + ": " + r.reasons().getOrDefault(b.getKey(), "failed"));
                    failed++;
                }
            }
            if (!r.compileErrors().isEmpty()) {
                // the file did not compile, or a run-time error ended it outside any test block
                SieveError e = r.compileErrors().getFirst();
                out.println("FAIL " + f + ": line " + e.line() + ": " + e.message());
                failed++;
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** The error's column, or where the text of its line starts when only the line is known. */
    static int column(String text, SieveError e) {
        if (e.column() > 0) return e.column();
        if (e.line() <= 0) return 1;
        String[] lines = text.split("\n", -1);
        if (e.line() > lines.length) return 1;
        String l = lines[e.line() - 1];
        int i = 0;
        while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) i++;
        return i + 1;
    }
}
