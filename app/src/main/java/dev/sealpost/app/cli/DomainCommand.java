package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;

/** {@code sealpost domain add|list|remove}. */
@Command(name = "domain", description = "Manage the domains we receive mail for.", mixinStandardHelpOptions = true)
public final class DomainCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "add", description = "Add a local domain with two DKIM signing keys (unless --no-dkim).")
    int add(@Parameters(paramLabel = "DOMAIN") String domain,
            @Option(names = "--no-dkim", description = "Do not generate DKIM keys (by default: RSA-2048, selector rsa<yyyymm>,"
                    + " and Ed25519, ed<yyyymm>, both signing).") boolean noDkim,
            @Option(names = "--dkim", hidden = true, description = "The default; kept for older scripts.") boolean dkimAsked) {
        boolean dkim = !noDkim;
        String ascii = Domain.toAscii(domain).orElseThrow(() -> new Main.UserError("not a domain name: " + domain));
        try (Store s = store.open()) {
            s.directory().addDomain(ascii);
            System.out.println("added domain " + ascii);
            if (dkim) {
                System.out.println("DKIM keys (publish these records; 'sealpost dns records " + ascii + "' lists them all):");
                for (var k : DkimCommand.generateDefaults(s.directory(), ascii, Clock.systemUTC())) {
                    System.out.println(DkimCommand.zoneLine(k));
                }
            }
        }
        return 0;
    }

    @Command(name = "list", description = "List local domains.")
    int list() {
        try (Store s = store.open()) {
            var all = s.directory().domains();
            if (all.isEmpty()) System.out.println("no domains (add one with 'sealpost domain add DOMAIN')");
            all.forEach(System.out::println);
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove a local domain (it must have no accounts).")
    int remove(@Parameters(paramLabel = "DOMAIN") String domain) {
        String ascii = Domain.toAscii(domain).orElseThrow(() -> new Main.UserError("not a domain name: " + domain));
        try (Store s = store.open()) {
            if (!s.directory().removeDomain(ascii)) throw new Main.UserError("no such domain: " + ascii);
        }
        System.out.println("removed domain " + ascii);
        return 0;
    }
}
