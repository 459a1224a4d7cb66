package dev.sealpost.delivery;

import dev.sealpost.store.Spool;

import java.util.List;

/**
 * Told of every message local delivery filed into mailboxes, once the spool recorded it (the
 * evidence log: delivered to a local mailbox). Called on the delivery threads; an exception is
 * logged and does not change the delivery.
 */
@FunctionalInterface
public interface DeliveryListener {
    /**
     * @param message    the spooled message (its blob id is the SHA-256 of its bytes)
     * @param recipients the envelope recipients whose copies were filed into local mailboxes
     */
    void delivered(Spool.QueuedMessage message, List<String> recipients);
}
