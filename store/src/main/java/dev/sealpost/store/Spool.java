package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable queue. Every accepted message is enqueued here first, local recipients too.
 * Writes go through one writer thread that batches concurrent calls into one transaction
 * (group commit); each call returns only after its transaction is committed with
 * {@code synchronous=FULL} (SQLite) or a synchronous commit (PostgreSQL).
 *
 * <p>Lifecycle: a recipient is PENDING until the local delivery layer calls {@link #complete},
 * which makes it DELIVERED, FAILED or REMOTE. A message with no PENDING recipient left is marked
 * locally done ({@code queue_messages.local_done_at}) and its row is kept for the outbound and
 * DSN work, which deletes it when finished.
 */
public interface Spool {

    /**
     * Queues a message whose blob is already stored.
     *
     * @return the queue id; the row is committed (durable) on return
     * @throws IllegalArgumentException when there are no recipients or the blob is not stored
     */
    default long enqueue(Envelope env, BlobRef blob) {
        return enqueue(env, blob, null);
    }

    /**
     * As {@link #enqueue(Envelope, BlobRef)}, with the mailbox local delivery files the message
     * into for every local recipient.
     *
     * @param folder a special-use attribute such as {@code \Junk} (RFC 6154), or null for INBOX;
     *               an account without such a mailbox gets the message in INBOX
     */
    long enqueue(Envelope env, BlobRef blob, String folder);

    /**
     * Stores the content written to {@code content} and queues the message, durably on return.
     * Content within {@link BlobStore#inlineLimit()} goes into the database in the same
     * transaction as the queue rows, so the whole acceptance costs a share of one group commit;
     * larger content is committed as a file first ({@link BlobWriter#commit()}). Either way the
     * writer is finished afterwards (committed, or aborted when this throws).
     *
     * @param content a writer from this store's {@link BlobStore#newWriter()}, not committed yet
     * @return the queue id and the stored blob
     * @throws IllegalArgumentException when there are no recipients
     * @throws java.io.IOException when the blob file cannot be written
     */
    default Enqueued enqueue(Envelope env, BlobWriter content, String folder) throws java.io.IOException {
        try (content) {
            BlobRef blob = content.commit();
            return new Enqueued(enqueue(env, blob, folder), blob);
        }
    }

    /**
     * As {@link #enqueue(Envelope, BlobWriter, String)}, and files the message into the mailboxes
     * of the recipients in {@code filing} in the same transaction (local delivery at acceptance:
     * ADR 0004): those recipients are DELIVERED on return, with the same exactly-once rule as
     * {@link #complete} (one copy per account and queue message), the same folder choice, quota
     * accounting and change notifications after the commit. The other recipients stay PENDING
     * for local delivery; with none left the message is locally done at once.
     *
     * @param filing recipients (by index in {@code env.recipients()}) and their accounts, or null
     */
    default Enqueued enqueue(Envelope env, BlobWriter content, String folder, LocalFiling filing) throws java.io.IOException {
        return enqueue(env, content, folder); // a spool without the fast path: local delivery files them later
    }

    /**
     * As {@link #enqueue(Envelope, BlobWriter, String, LocalFiling)}, and writes the rows
     * {@code journal} gives for the new queue id into the evidence journal
     * ({@link EvidenceJournal}) in the same transaction: the acceptance and its evidence records
     * commit together or not at all (docs/evidence.md "One durable round trip").
     *
     * @param journal called inside the transaction, possibly on the store's writer thread: quick, no I/O
     * @throws UnsupportedOperationException from a spool without a journal
     */
    default Enqueued enqueue(Envelope env, BlobWriter content, String folder, LocalFiling filing, Journal journal) throws java.io.IOException {
        if (journal == null) return enqueue(env, content, folder, filing);
        throw new UnsupportedOperationException("this spool has no evidence journal");
    }

    /** The evidence journal rows of one acceptance, made once its queue id and blob are known. */
    @FunctionalInterface
    interface Journal {
        /** The records' bytes, in order; called inside the spool's transaction. */
        List<byte[]> entries(long queueId, BlobRef blob);
    }

    /**
     * Recipients filed at acceptance.
     *
     * @param accountsByRecipient index in the envelope's recipients → accounts that get a copy
     * @param summary             the parsed message's summary for the copies ({@link Mailboxes#summary}), or null
     */
    record LocalFiling(java.util.Map<Integer, List<Long>> accountsByRecipient, MessageSummary summary) {
        public LocalFiling {
            accountsByRecipient = java.util.Map.copyOf(accountsByRecipient);
            accountsByRecipient.values().forEach(v -> {
                if (v.isEmpty()) throw new IllegalArgumentException("a filed recipient needs at least one account");
            });
            accountsByRecipient = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(
                    accountsByRecipient.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            java.util.Map.Entry::getKey, e -> List.copyOf(e.getValue())))));
        }
    }

    /** What {@link #enqueue(Envelope, BlobWriter, String)} stored. */
    record Enqueued(long queueId, BlobRef blob) {}

    /** Messages with PENDING recipients, oldest first; each with all its recipients. */
    List<QueuedMessage> pendingLocal(int limit);

    /**
     * Applies the local delivery outcome for one message in one transaction. Idempotent: a redo
     * after a crash never stores a second copy for the same (account, queue message).
     *
     * @throws IllegalArgumentException when a recipient id does not belong to the message
     */
    default void complete(long queueMessageId, List<Disposition> dispositions) {
        complete(queueMessageId, dispositions, null);
    }

    /**
     * As {@link #complete(long, List)}, and each mailbox copy stored gets {@code summary} as its
     * cached structure and header summary ({@link Mailboxes#summary}).
     *
     * @param summary the parsed message's summary, or null when it is not known (the cache columns
     *                stay empty and are rebuilt from the blob when needed)
     */
    void complete(long queueMessageId, List<Disposition> dispositions, MessageSummary summary);

    /**
     * Queues a message that Sieve sends on behalf of a delivery (redirect, vacation reply,
     * notification, error report) unless one was queued under {@code key} before: the key and the
     * queue rows commit in one transaction (migration V17 {@code sieve_sends}), so a delivery
     * redone after a crash between this and {@link #complete} sends nothing twice.
     *
     * @param key names the delivery and the action, e.g. {@code "redirect:<queue id>:<account>:<address>"}
     * @return the new queue id, or empty when {@code key} was used already
     */
    java.util.OptionalLong enqueueOnce(String key, Envelope env, BlobRef blob);

    /** Forgets {@link #enqueueOnce} keys recorded before {@code before}; returns how many. */
    int purgeSendKeys(java.time.Instant before);

    Optional<QueuedMessage> get(long id);

    /** All queued messages, oldest first. */
    List<QueuedMessage> list(int limit);

    /** Number of write transactions committed by the store's writer since it opened (for tests and metrics). */
    long commitCount();

    /**
     * True when a write failed for lack of space ({@link StoreException.Kind#FULL}) less than
     * {@code GroupCommitWriter.FULL_HINT} (2 s) ago and none has been committed since: a hint that
     * lets SMTP refuse at MAIL FROM (452 4.3.1) before the client sends the content. Short-lived
     * on purpose, so that service comes back by itself when the space returns.
     */
    default boolean storageFull() {
        return false;
    }

    /** Runs {@code listener} (briefly, on the caller's thread) after each enqueue. */
    void onEnqueued(Runnable listener);

    /** Runs {@code listener} (briefly, on the caller's thread) after each {@link #complete} that stored messages. */
    void onDelivered(Runnable listener);

    /**
     * Runs {@code listener} (briefly, on the caller's thread) after each {@link #complete} that
     * handed recipients to the outbound queue ({@link Remote} dispositions): wakes remote delivery.
     */
    void onRemoteQueued(Runnable listener);

    /**
     * The SMTP envelope and session facts of a message.
     *
     * @param mailFrom      reverse-path, {@code ""} for the null sender
     * @param clientAddress the client's IP address, or null
     * @param authUser      the authenticated account, or null
     * @param bodyType      {@code 7BIT}, {@code 8BITMIME}, {@code BINARYMIME} or null (RFC 6152, RFC 3030)
     * @param dsnRet        {@code FULL}, {@code HDRS} or null (RFC 3461 §4.3)
     * @param dsnEnvid      RFC 3461 §4.4 ENVID, or null
     */
    record Envelope(String mailFrom, List<Recipient> recipients, String clientAddress, String helo,
                    String authUser, String sessionId, boolean requireTls, boolean smtpUtf8,
                    String bodyType, String dsnRet, String dsnEnvid, Instant receivedAt) {
        public Envelope {
            Objects.requireNonNull(mailFrom, "mailFrom");
            Objects.requireNonNull(receivedAt, "receivedAt");
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * @param dsnNotify RFC 3461 §4.1 NOTIFY as a comma list ({@code SUCCESS,FAILURE}), or null
     * @param orcpt     RFC 3461 §4.2 ORCPT ({@code rfc822;addr}), or null
     */
    record Recipient(String address, String dsnNotify, String orcpt) {
        public Recipient {
            Objects.requireNonNull(address, "address");
        }
    }

    record QueuedMessage(long id, BlobRef blob, Envelope envelope, List<QueuedRecipient> recipients) {}

    record QueuedRecipient(long id, String address, String dsnNotify, String orcpt, RecipientState state) {}

    enum RecipientState { PENDING, DELIVERED, FAILED, REMOTE }

    /** What happened to one recipient. */
    sealed interface Disposition {
        long recipientId();
    }

    /** Store one copy in each account's INBOX (at most one per account per queue message). */
    record ToMailboxes(long recipientId, List<Long> accountIds) implements Disposition {
        public ToMailboxes {
            accountIds = List.copyOf(accountIds);
        }
    }

    /**
     * Store the copies a recipient's Sieve script asked for (RFC 5228 §4: keep, fileinto, with
     * RFC 5232 flags) in one account: each copy in its mailbox, INBOX where the mailbox does not
     * exist (any more). No copies (discard, RFC 5228 §4.4) marks the recipient delivered with
     * nothing stored. Exactly once per (queue message, account) like {@link ToMailboxes}.
     */
    record ToFolders(long recipientId, long accountId, List<Copy> copies) implements Disposition {
        public ToFolders {
            copies = List.copyOf(copies);
        }
    }

    /**
     * One copy for {@link ToFolders}.
     *
     * @param mailbox the mailbox name, or null for the default target (the folder asked for at
     *                acceptance, such as {@code \Junk}, else INBOX)
     * @param flags   IMAP flags and keywords to set on it (invalid ones are dropped)
     * @param blob    different content for this copy (a Sieve script's editheader edits, RFC 5293),
     *                already stored; null for the queued message itself
     */
    record Copy(String mailbox, List<String> flags, BlobRef blob) {
        public Copy {
            flags = List.copyOf(flags);
        }

        /** A copy of the queued message itself. */
        public Copy(String mailbox, List<String> flags) {
            this(mailbox, flags, null);
        }
    }

    /** Permanent failure, for a DSN. */
    record Failed(long recipientId, String reason) implements Disposition {}

    /** Forward to these remote addresses (outbound work). */
    record Remote(long recipientId, List<String> addresses) implements Disposition {
        public Remote {
            addresses = List.copyOf(addresses);
        }
    }
}
