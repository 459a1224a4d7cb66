package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.QuarantineWiring;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.filter.quarantine.QuarantineActions;
import dev.sealpost.filter.quarantine.QuarantineDigest;
import dev.sealpost.filter.quarantine.QuarantineTokens;
import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code sealpost quarantine list [ADDRESS] | show ID | release ID | delete ID | digest}: the messages the
 * filter held (accepted with "250", never in a mailbox). Release files the message into the
 * recipient's INBOX (or, for an address an alias forwards elsewhere, queues it again) and trains
 * the classifier's global model with it as ham.
 */
@Command(name = "quarantine", description = "List, show, release or delete messages the filter held.", mixinStandardHelpOptions = true)
public final class QuarantineCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "list", description = "Held messages, newest first: id, received, recipient, score, sender, subject, checks.")
    int list(@Parameters(paramLabel = "ADDRESS", arity = "0..1", description = "Only those held for this recipient.") String address,
             @Option(names = "--limit", defaultValue = "1000", description = "Most messages shown (default: ${DEFAULT-VALUE}).") int limit) {
        try (Store s = store.open()) {
            List<Quarantine.Entry> entries = s.quarantine().list(address, Math.max(1, limit));
            if (entries.isEmpty()) {
                System.out.println("quarantine is empty");
                return 0;
            }
            for (Quarantine.Entry e : entries) {
                System.out.printf("%-6d %s  %s  score=%s  from <%s>  %s  [%s]%n", e.id(), e.receivedAt(), e.recipient(), e.score(),
                        e.mailFrom(), quoted(e.subject()), String.join(",", names(e.hits())));
            }
        }
        return 0;
    }

    @Command(name = "show", description = "One held message: envelope, verdict, every check with its weight and detail, expiry.")
    int show(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            Quarantine.Entry e = entry(s, id);
            System.out.println("id:         " + e.id());
            System.out.println("recipient:  " + e.recipient() + (e.accountId() == 0 ? " (forwarded address)" : ""));
            System.out.println("mail from:  <" + e.mailFrom() + ">");
            System.out.println("from:       " + (e.fromHeader() == null ? "" : e.fromHeader()));
            System.out.println("subject:    " + (e.subject() == null ? "" : e.subject()));
            System.out.println("received:   " + e.receivedAt() + " (session " + e.sessionId() + ", queue id " + e.queueMessageId() + ")");
            System.out.println("expires:    " + e.expiresAt());
            System.out.println("size:       " + e.size());
            System.out.println("verdict:    " + e.verdict() + " score=" + e.score());
            for (String line : e.hits().split("\n")) if (!line.isBlank()) System.out.println("  " + line);
        }
        return 0;
    }

    @Command(name = "release", description = "Deliver a held message to the recipient's INBOX and train the classifier with it as ham.")
    int release(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            entry(s, id);
            return switch (new QuarantineActions(s).release(id)) {
                case QuarantineActions.Outcome.Released r -> {
                    System.out.println("released " + id + " to " + r.entry().recipient() + (r.queued() ? " (queued)" : " (INBOX)")
                            + "; classifier trained with it as ham");
                    yield 0;
                }
                case QuarantineActions.Outcome.Failed f -> throw new Main.UserError(f.why());
                default -> throw new Main.UserError("no quarantined message " + id);
            };
        }
    }

    @Command(name = "delete", description = "Delete a held message.")
    int delete(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            entry(s, id);
            if (!(new QuarantineActions(s).delete(id) instanceof QuarantineActions.Outcome.Deleted)) {
                throw new Main.UserError("no quarantined message " + id);
            }
            System.out.println("deleted " + id);
        }
        return 0;
    }

    @Command(name = "digest", description = "Send the quarantine digests that are due now (each user with something new held; "
            + "with --force regardless of filter.quarantine_digest).")
    int digest(@Option(names = "--force", description = "Send to every user with something new held, however recent the last digest.") boolean force,
               @Option(names = "--base", paramLabel = "URL", description = "HTTPS base of the links (default: https://<server.hostname>[:<listeners.https port>]).") String base) {
        SealpostConfig cfg = store.config();
        if (base == null && cfg == null) throw new Main.UserError("no config to take server.hostname from: give --base https://HOST[:PORT]");
        if (base != null && !base.matches("https://[A-Za-z0-9.:\\[\\]-]+")) throw new Main.UserError("--base: expected https://HOST[:PORT], got " + base);
        String webBase = base != null ? base : QuarantineWiring.webBase(cfg, QuarantineWiring.configuredHttpsPort(cfg));
        Duration interval = cfg == null || cfg.filter().quarantineDigest() == null ? Duration.ofDays(1) : cfg.filter().quarantineDigest();
        int linkDays = cfg == null ? 7 : cfg.filter().quarantineLinkDays();
        try (Store s = store.open()) {
            QuarantineTokens tokens = new QuarantineTokens(QuarantineTokens.key(store.dataDirectory().resolve("quarantine")));
            int n = new QuarantineDigest(s, tokens, new QuarantineDigest.Settings(interval, Duration.ofDays(linkDays), webBase),
                    Clock.systemUTC(), null).sendDue(force);
            System.out.println(n + " digest(s) queued");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private static Quarantine.Entry entry(Store s, long id) {
        return s.quarantine().get(id).orElseThrow(() -> new Main.UserError("no quarantined message " + id));
    }

    /** The hit names of an explanation (one hit a line, its name first). */
    static List<String> names(String hits) {
        return hits.lines().filter(l -> !l.isBlank()).map(l -> l.split(" ", 2)[0]).toList();
    }

    private static String quoted(String s) {
        return s == null ? "(no subject)" : "\"" + s + "\"";
    }
}
