package dev.sealpost.delivery;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.Spool;

import java.util.Optional;

/**
 * Takes over a local recipient before the directory look-up: the list engine (lists module)
 * handles list addresses and their {@code -request}, {@code -bounces}, {@code -confirm} roles here
 * and sends copies on as new spool messages.
 */
@FunctionalInterface
public interface RecipientHook {
    /**
     * @return the recipient's disposition when this hook handled it (an empty {@link Spool.ToMailboxes}
     *         when the message was consumed), or empty for the usual delivery
     */
    Optional<Spool.Disposition> handle(Spool.QueuedMessage message, Spool.QueuedRecipient recipient, EmailAddress address);
}
