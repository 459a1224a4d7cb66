package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.filter.bayes.BayesClassifier;
import dev.sealpost.filter.bayes.StoreTokenTable;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code sealpost quarantine list [ADDRESS] | show ID | release ID | delete ID}: the messages the
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
            Quarantine.Entry e = entry(s, id);
            byte[] content = s.quarantine().content(id).orElseThrow(() -> new Main.UserError("no quarantined message " + id));
            MessageStructure structure = MessageStructure.parse(content);
            BlobRef blob = e.accountId() != 0 ? s.blobs().put(content) : null;
            if (e.accountId() != 0) {
                Mailboxes.MailboxInfo inbox = s.mailboxes().mailbox(e.accountId(), "INBOX")
                        .orElseThrow(() -> new Main.UserError("account of " + e.recipient() + " has no INBOX any more"));
                Envelope env = structure.envelope();
                MessageSummary summary = new MessageSummary(structure.toBytes(), env.decodedSubject(), env.displayFrom(),
                        env.messageId(), env.inReplyTo());
                Mailboxes.AppendResult r = s.mailboxes().append(inbox.id(),
                        List.of(new Mailboxes.NewMessage(blob, Set.of(), e.receivedAt(), summary)));
                if (!(r instanceof Mailboxes.AppendResult.Appended)) {
                    throw new Main.UserError("release of " + id + " into the INBOX of " + e.recipient() + " failed: " + r);
                }
            } else {
                // a remote address (an alias forwarding elsewhere, or held outgoing mail): the outbound
                // queue takes it again, without our verdict field (which would hold it once more)
                BlobRef out = s.blobs().put(dev.sealpost.store.FilterMark.strip(content));
                s.spool().enqueue(new Spool.Envelope(e.mailFrom(), List.of(new Spool.Recipient(e.recipient(), null, null)), null, null,
                        null, "quarantine-release-" + id, false, false, null, null, null, Instant.now()), out);
            }
            // the filter was wrong: the message is wanted mail
            new BayesClassifier(new StoreTokenTable(s.filterTokens())).train(content, structure, null, false);
            s.quarantine().delete(id);
            System.out.println("released " + id + " to " + e.recipient() + (e.accountId() == 0 ? " (queued)" : " (INBOX)")
                    + "; classifier trained with it as ham");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a held message.")
    int delete(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            entry(s, id);
            s.quarantine().delete(id);
            System.out.println("deleted " + id);
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
