package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;


/**
 * {@code sealpost smime ca init|export DOMAIN} and {@code smime issue ADDRESS}: each local domain's
 * internal S/MIME CA and the certificates it issues (what {@code keys generate --type smime} does).
 */
@Command(name = "smime", description = "The internal S/MIME CA of local domains.", mixinStandardHelpOptions = true,
        subcommands = SmimeCommand.Ca.class)
public final class SmimeCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "issue", description = "Issue ADDRESS an S/MIME certificate from its domain's internal CA (created when missing).")
    int issue(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = KeysCommand.canonical(address);
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no local account " + a);
            Keys.OwnKey k = KeysCommand.issueSmime(s, a, System.out);
            System.out.println("generated smime key " + k.fingerprint() + " for " + a);
        }
        return 0;
    }

    /** {@code smime ca ...}. */
    @Command(name = "ca", description = "The domain's internal CA.")
    static final class Ca {
        @ParentCommand
        SmimeCommand parent;

        @Command(name = "init", description = "Create DOMAIN's internal CA (RSA-3072, ten years) unless it has one.")
        int init(@Parameters(paramLabel = "DOMAIN") String domain) {
            String d = DkimCommand.ascii(domain);
            try (Store s = parent.store.open()) {
                if (s.keys().ca(d).isPresent()) {
                    System.out.println(d + " already has an internal S/MIME CA");
                    return 0;
                }
                KeysCommand.ensureCa(s, d, System.out);
            }
            return 0;
        }

        @Command(name = "export", description = "Print DOMAIN's CA certificate (PEM), the trust anchor for its users' certificates.")
        int export(@Parameters(paramLabel = "DOMAIN") String domain) {
            String d = DkimCommand.ascii(domain);
            try (Store s = parent.store.open()) {
                Keys.DomainCa ca = s.keys().ca(d).orElseThrow(() -> new Main.UserError(d + " has no internal CA ('sealpost smime ca init " + d + "')"));
                System.out.print(KeyMaterial.pem(ca.certificate()));
            }
            System.out.flush();
            return 0;
        }
    }

}
