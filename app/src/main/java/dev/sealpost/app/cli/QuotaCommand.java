package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/** {@code sealpost quota set ADDRESS SIZE}. */
@Command(name = "quota", description = "Manage mailbox quotas.", mixinStandardHelpOptions = true)
public final class QuotaCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "set", description = "Set an account's storage quota: bytes, or with K, M, G suffix; 0 = unlimited.")
    int set(@Parameters(paramLabel = "ADDRESS") String address, @Parameters(paramLabel = "SIZE") String size) {
        String a = AccountCommand.canonical(address);
        long bytes = parseSize(size);
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            s.directory().setQuota(a, bytes);
        }
        System.out.println("quota for " + a + ": " + (bytes == 0 ? "unlimited" : bytes + " bytes"));
        return 0;
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) mult = 1024;
        else if (t.endsWith("M")) mult = 1024 * 1024;
        else if (t.endsWith("G")) mult = 1024L * 1024 * 1024;
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t);
            if (v < 0) throw new NumberFormatException();
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Main.UserError("not a size: " + s + " (expected e.g. 500M)");
        }
    }
}
