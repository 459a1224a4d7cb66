package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code sealpost alias add|list|remove}: SOURCE is {@code user@domain} or {@code @domain} (catch-all). */
@Command(name = "alias", description = "Manage aliases (many-to-many; @domain is a catch-all).", mixinStandardHelpOptions = true)
public final class AliasCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "add", description = "Deliver mail for SOURCE to TARGET (a local or remote address).")
    int add(@Parameters(paramLabel = "SOURCE") String source, @Parameters(paramLabel = "TARGET") String target) {
        String src = source(source);
        String dst = AccountCommand.canonical(target);
        try (Store s = store.open()) {
            s.directory().addAlias(src, dst);
        }
        System.out.println("added alias " + src + " -> " + dst);
        return 0;
    }

    @Command(name = "list", description = "List aliases.")
    int list() {
        try (Store s = store.open()) {
            List<Directory.Alias> all = s.directory().aliases();
            if (all.isEmpty()) System.out.println("no aliases (add one with 'sealpost alias add SOURCE TARGET')");
            for (Directory.Alias a : all) System.out.println(a.source() + "\t" + a.target());
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove one SOURCE -> TARGET alias.")
    int remove(@Parameters(paramLabel = "SOURCE") String source, @Parameters(paramLabel = "TARGET") String target) {
        String src = source(source);
        String dst = AccountCommand.canonical(target);
        try (Store s = store.open()) {
            if (!s.directory().removeAlias(src, dst)) throw new Main.UserError("no such alias: " + src + " -> " + dst);
        }
        System.out.println("removed alias " + src + " -> " + dst);
        return 0;
    }

    private static String source(String s) {
        if (s.startsWith("@")) {
            return "@" + Domain.toAscii(s.substring(1)).orElseThrow(() -> new Main.UserError("not a domain: " + s));
        }
        return AccountCommand.canonical(s);
    }
}
