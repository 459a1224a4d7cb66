package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code sealpost account add|passwd|list|remove|pop3-mode}. */
@Command(name = "account", description = "Manage mail accounts.", mixinStandardHelpOptions = true, subcommands = AccountTotpCommand.class)
public final class AccountCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "add", description = "Add an account; the password is asked for, or read from standard input.")
    int add(@Parameters(paramLabel = "ADDRESS") String address,
            @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean stdin,
            @Option(names = "--generate-password", description = "Generate a random password and print it.") boolean generate) {
        String a = canonical(address);
        PasswordPolicy policy = store.passwordPolicy();
        String generated = null;
        try (Store s = store.open()) {
            // check everything before a password is asked for or generated: a password is printed only for an account that exists
            String domain = a.substring(a.lastIndexOf('@') + 1);
            if (!s.directory().isLocalDomain(domain)) {
                throw new Main.UserError("domain " + domain + " is not a local domain (add it first: sealpost domain add " + domain + ")");
            }
            if (s.directory().account(a).isPresent()) {
                throw new Main.UserError("account " + a + " already exists (sealpost account passwd " + a + " changes its password)");
            }
            char[] pw;
            if (generate) {
                generated = Passwords.generate();
                pw = generated.toCharArray();
            } else {
                pw = policy.require(Passwords.read(stdin));
            }
            s.directory().addAccount(a, pw);
        }
        System.out.println("added account " + a);
        if (generated != null) System.out.println("password: " + generated);
        return 0;
    }

    @Command(name = "passwd", description = "Set an account's password.")
    int passwd(@Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--password-stdin") boolean stdin,
               @Option(names = "--generate-password") boolean generate) {
        String a = canonical(address);
        PasswordPolicy policy = store.passwordPolicy();
        String generated = null;
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            char[] pw;
            if (generate) {
                generated = Passwords.generate();
                pw = generated.toCharArray();
            } else {
                pw = policy.require(Passwords.read(stdin));
            }
            s.directory().setPassword(a, pw);
        }
        System.out.println("password changed for " + a);
        if (generated != null) System.out.println("password: " + generated);
        return 0;
    }

    @Command(name = "list", description = "List accounts with quota and usage.")
    int list() {
        try (Store s = store.open()) {
            var all = s.directory().accounts();
            if (all.isEmpty()) System.out.println("no accounts (add one with 'sealpost account add ADDRESS')");
            for (Directory.Account acc : all) {
                System.out.printf("%s\tused=%d\tquota=%s%n", acc.address(), acc.usedBytes(),
                        acc.quotaBytes() <= 0 ? "unlimited" : Long.toString(acc.quotaBytes()));
            }
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove an account and its mailboxes.")
    int remove(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = canonical(address);
        try (Store s = store.open()) {
            if (!s.directory().removeAccount(a)) throw new Main.UserError("no such account: " + a);
        }
        System.out.println("removed account " + a);
        return 0;
    }

    @Command(name = "pop3-mode", description = "Show or set what POP3 DELE does for an account: 'delete' (RFC 1939: removed at QUIT)"
            + " or 'keep' (leave on server: marked seen, hidden from later POP3 sessions, still in IMAP).")
    int pop3Mode(@Parameters(paramLabel = "ADDRESS") String address,
                 @Parameters(paramLabel = "MODE", arity = "0..1", description = "delete or keep; absent: show the current mode") String mode) {
        String a = canonical(address);
        try (Store s = store.open()) {
            Directory.Account acc = s.directory().account(a).orElseThrow(() -> new Main.UserError("no such account: " + a));
            if (mode == null) {
                System.out.println(a + "\t" + dev.sealpost.pop3.Pop3Mode.of(s.mailboxes(), acc.id()).value());
                return 0;
            }
            dev.sealpost.pop3.Pop3Mode m = dev.sealpost.pop3.Pop3Mode.parse(mode)
                    .orElseThrow(() -> new Main.UserError("pop3-mode: expected delete or keep, got '" + mode + "'"));
            dev.sealpost.pop3.Pop3Mode.set(s.mailboxes(), acc.id(), m);
        }
        System.out.println("POP3 mode of " + a + " set to " + mode.toLowerCase(java.util.Locale.ROOT));
        return 0;
    }

    @Command(name = "role", description = "Show or set an account's role for the admin API: admin (server admin), domain-admin:DOMAIN"
            + " (repeatable: each adds a domain), or user (removes every role).")
    int role(@Parameters(paramLabel = "ADDRESS") String address,
             @Parameters(paramLabel = "ROLE", arity = "0..*", description = "admin, domain-admin:DOMAIN or user; absent: show") List<String> roles) {
        String a = canonical(address);
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            var access = s.apiAccess();
            for (String r : roles == null ? List.<String>of() : roles) {
                String v = r.strip().toLowerCase(java.util.Locale.ROOT);
                if (v.equals("admin")) {
                    access.grantAdmin(a);
                } else if (v.equals("user")) {
                    access.clearRoles(a);
                } else if (v.startsWith("domain-admin:")) {
                    String d = dev.sealpost.core.mail.Domain.toAscii(v.substring("domain-admin:".length()))
                            .orElseThrow(() -> new Main.UserError("not a domain: " + r));
                    if (!s.directory().isLocalDomain(d)) throw new Main.UserError("domain " + d + " is not a local domain");
                    access.grantDomainAdmin(a, d);
                } else {
                    throw new Main.UserError("role: expected admin, domain-admin:DOMAIN or user, got '" + r + "'");
                }
            }
            System.out.println(a + "\t" + access.roles(a).describe());
        }
        return 0;
    }

    static String canonical(String address) {
        return EmailAddress.parse(address).map(EmailAddress::canonical)
                .orElseThrow(() -> new Main.UserError("not an email address: " + address));
    }

}
