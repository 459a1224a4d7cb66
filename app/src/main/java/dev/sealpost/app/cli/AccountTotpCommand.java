package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.Store;
import dev.sealpost.web.admin.Totp;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.util.Arrays;

/**
 * {@code sealpost account totp enable|disable|status ADDRESS}: the optional second factor of the
 * web admin login (RFC 6238, docs/web-admin.md). {@code enable} prints the secret and the
 * {@code otpauth://} URI once, on standard output only; the secret is stored sealed under the
 * key-encryption key and never logged.
 */
@Command(name = "totp", description = "Turn the TOTP second factor of the web login on or off for an account.", mixinStandardHelpOptions = true)
public final class AccountTotpCommand {
    @ParentCommand
    AccountCommand parent;

    @Command(name = "enable", description = "Make a new TOTP secret for ADDRESS (replacing any earlier one) and print it and its otpauth:// URI once.")
    int enable(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = AccountCommand.canonical(address);
        try (Store s = parent.store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            byte[] key = Totp.newSecret();
            try {
                s.totp().set(a, key);
                System.out.println("TOTP enabled for " + a + " (SHA-1, " + Totp.DIGITS + " digits, " + Totp.STEP_SECONDS
                        + " s); add it to an authenticator app now, it is shown only once:");
                System.out.println("secret: " + Totp.base32(key));
                System.out.println(Totp.uri("Sealpost", a, key));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return 0;
    }

    @Command(name = "disable", description = "Remove ADDRESS's TOTP secret: the web login takes the password alone again.")
    int disable(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = AccountCommand.canonical(address);
        try (Store s = parent.store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            System.out.println(s.totp().remove(a) ? "TOTP disabled for " + a : a + " had no TOTP secret: nothing to do");
        }
        return 0;
    }

    @Command(name = "status", description = "Say whether ADDRESS has TOTP turned on.")
    int status(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = AccountCommand.canonical(address);
        try (Store s = parent.store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            System.out.println(a + ": TOTP " + (s.totp().enabled(a) ? "on" : "off"));
        }
        return 0;
    }
}
