package dev.sealpost.store.internal;

import dev.sealpost.store.Mailboxes.MailboxListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mailbox change listeners of one store, shared by {@link JdbcMailboxes} and {@link JdbcSpool}.
 * Fired after the commit by the thread that waited for it, never inside the transaction.
 */
final class MailboxEvents {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxEvents.class);

    /** One changed mailbox; {@code mailboxId} 0 for a change of the account's list of mailboxes. */
    record Touch(long accountId, long mailboxId) {}

    private final List<MailboxListener> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(MailboxListener listener) {
        Holder h = new Holder(listener);
        listeners.add(h);
        return () -> listeners.remove(h);
    }

    /** A wrapper with identity equality, so that closing one registration removes exactly that one. */
    private record Holder(MailboxListener l) implements MailboxListener {
        @Override
        public void changed(long accountId, long mailboxId) {
            l.changed(accountId, mailboxId);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** Runs every listener once per distinct touched mailbox, in the order touched. */
    void fire(Collection<Touch> touched) {
        if (touched.isEmpty() || listeners.isEmpty()) return;
        for (Touch t : new LinkedHashSet<>(touched)) {
            for (MailboxListener l : listeners) {
                try {
                    l.changed(t.accountId(), t.mailboxId());
                } catch (RuntimeException e) {
                    LOG.error("mailbox listener failed for account {} mailbox {}", t.accountId(), t.mailboxId(), e);
                }
            }
        }
    }
}
