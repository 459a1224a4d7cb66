package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Messages the filter held (migration V10): accepted with "250", never in a mailbox (so never
 * visible over IMAP or POP3), kept with the verdict for a number of days. One entry per
 * recipient account; an administrator lists, shows, releases (into the INBOX) or deletes them.
 */
public interface Quarantine {
    /**
     * A message to hold.
     *
     * @param queueMessageId the spool message (with {@code accountId} and {@code recipient}: held once after a redo)
     * @param accountId      the recipient account, or 0 for an address forwarded elsewhere
     */
    record NewEntry(long queueMessageId, long accountId, String recipient, String mailFrom, String fromHeader, String subject,
                    String verdict, String score, String hits, String sessionId, byte[] message, Instant receivedAt, Instant expiresAt) {}

    /** A held message, without its content. */
    record Entry(long id, long queueMessageId, long accountId, String recipient, String mailFrom, String fromHeader, String subject,
                 String verdict, String score, String hits, String sessionId, long size, Instant receivedAt, Instant expiresAt) {}

    /** Holds a message; false when this (queue message, account, recipient) is already held (a redo). */
    boolean hold(NewEntry e);

    /** Held messages, newest first; for one recipient address (any case) when {@code recipient} is not null. */
    List<Entry> list(String recipient, int limit);

    Optional<Entry> get(long id);

    /** The held message's octets. */
    Optional<byte[]> content(long id);

    /** Deletes one entry; false when there is none. */
    boolean delete(long id);

    /** Deletes entries whose expiry is at or before {@code now}; returns how many. */
    int purge(Instant now);

    /** The digest state of one account (migration V20): the newest entry the last digest listed and when it was sent. */
    record DigestMark(long accountId, long lastEntryId, Instant sentAt) {}

    /** Accounts (not 0) holding an entry newer than their last digest's, with their mark (0 and EPOCH when none yet). */
    List<DigestMark> accountsWithNewEntries();

    /** Held messages of one account, newest first. */
    List<Entry> listForAccount(long accountId, int limit);

    /** Records that a digest listing entries up to {@code lastEntryId} was sent to {@code accountId} at {@code at}. */
    void markDigest(long accountId, long lastEntryId, Instant at);
}
