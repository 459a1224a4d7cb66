package dev.sealpost.filter.quarantine;

import dev.sealpost.filter.bayes.BayesClassifier;
import dev.sealpost.filter.bayes.StoreTokenTable;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.FilterMark;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Releases and deletes held messages, for the CLI ({@code sealpost quarantine release|delete}) and
 * the digest's links. Actions on one store are serialized (one lock per JVM): a release delivers
 * first and deletes the entry after, so nothing is lost on a crash, and a second action on the same
 * entry finds it gone.
 */
public final class QuarantineActions {
    /** What an action did. */
    public sealed interface Outcome {
        /** Filed into the INBOX ({@code queued} false) or queued again for a forwarded address. */
        record Released(Quarantine.Entry entry, boolean queued) implements Outcome {}

        record Deleted(Quarantine.Entry entry) implements Outcome {}

        /** No such entry: never held, or already released, deleted or expired. */
        record Gone(long id) implements Outcome {}

        /** The entry could not be delivered (its account has no INBOX any more, or the append failed); it stays held. */
        record Failed(Quarantine.Entry entry, String why) implements Outcome {}
    }

    private static final Object LOCK = new Object();

    private final Store store;

    public QuarantineActions(Store store) {
        this.store = store;
    }

    /** Delivers entry {@code id} to its recipient's INBOX (or queues it again) and trains the classifier with it as ham. */
    public Outcome release(long id) {
        synchronized (LOCK) {
            Quarantine.Entry e = store.quarantine().get(id).orElse(null);
            byte[] content = e == null ? null : store.quarantine().content(id).orElse(null);
            if (e == null || content == null) return new Outcome.Gone(id);
            try {
                MessageStructure structure = MessageStructure.parse(content);
                if (e.accountId() != 0) {
                    Mailboxes.MailboxInfo inbox = store.mailboxes().mailbox(e.accountId(), "INBOX").orElse(null);
                    if (inbox == null) return new Outcome.Failed(e, "the account of " + e.recipient() + " has no INBOX any more");
                    BlobRef blob = store.blobs().put(content);
                    Envelope env = structure.envelope();
                    MessageSummary summary = new MessageSummary(structure.toBytes(), env.decodedSubject(), env.displayFrom(),
                            env.messageId(), env.inReplyTo());
                    Mailboxes.AppendResult r = store.mailboxes().append(inbox.id(),
                            List.of(new Mailboxes.NewMessage(blob, Set.of(), e.receivedAt(), summary)));
                    if (!(r instanceof Mailboxes.AppendResult.Appended)) {
                        return new Outcome.Failed(e, "release into the INBOX of " + e.recipient() + " failed: " + r);
                    }
                } else {
                    // a remote address (an alias forwarding elsewhere, or held outgoing mail): the outbound
                    // queue takes it again, without our verdict field (which would hold it once more)
                    BlobRef out = store.blobs().put(FilterMark.strip(content));
                    store.spool().enqueue(new Spool.Envelope(e.mailFrom(), List.of(new Spool.Recipient(e.recipient(), null, null)), null,
                            null, null, "quarantine-release-" + id, false, false, null, null, null, Instant.now()), out);
                }
                // the filter was wrong: the message is wanted mail
                new BayesClassifier(new StoreTokenTable(store.filterTokens())).train(content, structure, null, false);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            store.quarantine().delete(id);
            return new Outcome.Released(e, e.accountId() == 0);
        }
    }

    /** Deletes entry {@code id}. */
    public Outcome delete(long id) {
        synchronized (LOCK) {
            Quarantine.Entry e = store.quarantine().get(id).orElse(null);
            if (e == null || !store.quarantine().delete(id)) return new Outcome.Gone(id);
            return new Outcome.Deleted(e);
        }
    }
}
