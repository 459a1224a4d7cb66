package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code sealpost sieve global set|remove|list}: the admin-managed Sieve scripts that run before
 * and after each user's own (as Pigeonhole's sieve_before and sieve_after), server-wide or for
 * one domain with {@code --domain}. Stored in the database (V17); a running server uses a change
 * with the next delivery.
 */
@Command(name = "global", description = "Manage the admin Sieve scripts run before and after each user's script.",
        mixinStandardHelpOptions = true)
public final class SieveGlobalCommand {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Command(name = "set", description = "Compile FILE and store it as a before or after script (server-wide, or for --domain); "
            + "replaces the script of the same name.")
    int set(@Option(names = "--domain", paramLabel = "DOMAIN", description = "Only mail for this local domain (default: every domain).") String domain,
            @Option(names = "--phase", required = true, paramLabel = "before|after", description = "Run before or after the user's script.") String phase,
            @Option(names = "--name", paramLabel = "NAME", description = "Script name (default: FILE's name without .sieve); scripts of one phase run in name order.") String name,
            @Parameters(paramLabel = "FILE") Path file) {
        PrintWriter out = spec.commandLine().getOut();
        SieveScripts.Phase p = phase(phase);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.UserError("cannot read " + file + ": " + e.getMessage());
        }
        if (SieveCompiler.compile(text) instanceof SieveCompiler.Errors e) {
            // never store a script that cannot run: delivery would skip it on every message
            for (SieveError err : e.errors()) out.println(file + ":" + err.line() + ":" + SieveCommand.column(text, err) + ": " + err.message());
            out.println("not stored");
            out.flush();
            return 1;
        }
        String n = name != null ? name : baseName(file.getFileName().toString());
        try (Store s = store.open()) {
            String d = domain(s, domain);
            s.sieveScripts().putGlobal(d, p, n, text);
            out.println("stored " + (d.isEmpty() ? "server-wide" : d) + " " + p.keyword() + " script " + n);
        }
        out.flush();
        return 0;
    }

    @Command(name = "remove", description = "Remove a before or after script (server-wide, or of --domain).")
    int remove(@Option(names = "--domain", paramLabel = "DOMAIN", description = "The domain's script (default: the server-wide one).") String domain,
               @Option(names = "--phase", required = true, paramLabel = "before|after", description = "The script's phase.") String phase,
               @Parameters(paramLabel = "NAME", description = "The script's name (a FILE name: without .sieve).") String name) {
        SieveScripts.Phase p = phase(phase);
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.open()) {
            String d = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
            String n = baseName(Path.of(name).getFileName().toString());
            if (!s.sieveScripts().removeGlobal(d, p, n)) throw new Main.UserError("no " + p.keyword() + " script " + n
                    + (d.isEmpty() ? " (server-wide)" : " for " + d));
            out.println("removed " + (d.isEmpty() ? "server-wide" : d) + " " + p.keyword() + " script " + n);
        }
        out.flush();
        return 0;
    }

    @Command(name = "list", description = "The admin scripts: domain (* for server-wide), phase, name, size, last change.")
    int list(@Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this domain's scripts.") String domain) {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.open()) {
            List<SieveScripts.GlobalScript> all = s.sieveScripts().listGlobal(domain == null ? null : domain.toLowerCase(Locale.ROOT));
            if (all.isEmpty()) out.println("no global scripts");
            for (SieveScripts.GlobalScript g : all) {
                out.printf("%-24s %-6s %-24s %6d  %s%n", g.domain().isEmpty() ? "*" : g.domain(), g.phase().keyword(), g.name(),
                        SieveScripts.sizeOf(g.content()), g.updatedAt());
            }
        }
        out.flush();
        return 0;
    }

    private static SieveScripts.Phase phase(String s) {
        return SieveScripts.Phase.parse(s).orElseThrow(() -> new Main.UserError("--phase is before or after, not " + s));
    }

    /** The domain as stored: "" for server-wide; a named domain must be one of ours. */
    private static String domain(Store s, String domain) {
        if (domain == null || domain.isBlank()) return "";
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (!s.directory().isLocalDomain(d)) throw new Main.UserError("no local domain " + d + " (add it with: sealpost domain add " + d + ")");
        return d;
    }

    private static String baseName(String f) {
        return f.endsWith(".sieve") ? f.substring(0, f.length() - ".sieve".length()) : f;
    }
}
