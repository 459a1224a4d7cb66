package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable state of the outbound (remote) queue: one row per (spool recipient, remote address)
 * in {@code remote_deliveries}, created by local delivery ({@link Spool.Remote}), scheduled and
 * settled by the outbound transport (module {@code queue}). Writes go through the store's
 * group-commit writer: each call returns after its transaction is committed.
 *
 * <p><b>Crash safety.</b> The transport calls {@link #record} with a message's results right
 * after the remote server's reply to the end of data, and that is one committed transaction.
 * A crash in the tiny window between the remote "250" and that commit makes the next run send
 * the message again: a duplicate, never a loss, which RFC 5321 §6.1 accepts ("the sender-SMTP
 * ... may deliver the message twice") and which the remote's Message-ID lets receivers detect.
 * A delivery recorded DELIVERED is never sent again.
 *
 * <p><b>DSN bookkeeping.</b> A result that owes the sender a delivery status notification sets
 * {@link Delivery#dsnPending()}; {@link #enqueueNotification} spools the DSN and clears those
 * flags in the same transaction, so a crash never loses nor duplicates a DSN.
 *
 * <p>One transport per database: rows are not leased, the running transport keeps its in-flight
 * set in memory.
 */
public interface OutboundQueue {

    /** Most rows returned by one {@link #due} call. */
    int MAX_BATCH = 5_000;

    /**
     * Deliveries that are PENDING, not held, with {@code next_attempt_at <= now}, highest
     * priority first, then oldest due first; grouped by destination domain and message.
     *
     * @param limit most deliveries (at most {@link #MAX_BATCH})
     */
    List<DueDomain> due(Instant now, int limit);

    /** The earliest {@code next_attempt_at} of a PENDING, not held delivery, if any. */
    Optional<Instant> nextDue();

    /**
     * Applies the results of one attempt (usually: one message's recipients after one SMTP
     * transaction) in ONE committed transaction.
     *
     * @throws IllegalArgumentException when a delivery id does not exist
     */
    void record(List<Result> results);

    /**
     * Marks the hook that runs once before the first remote attempt (DKIM signing) as done for a
     * message, switching its content to {@code prepared} (null: unchanged). Idempotent.
     */
    void prepared(long queueMessageId, BlobRef prepared);

    /** Deliveries with a DSN owed, grouped by message, oldest message first. */
    List<Notification> pendingNotifications(int limit);

    /**
     * Spools a DSN (a new queue message, as {@link Spool#enqueue}) and clears the
     * {@code dsn_pending} flag of {@code deliveryIds}, in one transaction.
     *
     * @return the new queue message id
     * @throws IllegalArgumentException when the blob is not stored or the envelope has no recipient
     */
    long enqueueNotification(Spool.Envelope dsn, BlobRef blob, List<Long> deliveryIds);

    /** Clears DSN flags without spooling anything (a DSN that must not or cannot be sent). */
    void clearNotifications(List<Long> deliveryIds);

    /**
     * Deletes queue messages that are finished: local delivery done, every remote delivery
     * DELIVERED or FAILED, no DSN owed. Messages that never had a remote delivery are left to
     * local delivery's bookkeeping.
     *
     * @return how many messages were deleted
     */
    int purgeFinished();

    // ---- administration (sealpost queue ...) ----

    /** Queue messages that have remote deliveries, oldest first. */
    List<Entry> list(int limit);

    /**
     * How full the outbound queue is: remote deliveries not yet settled (PENDING, held ones
     * included) and when the oldest message among them was received (null when none).
     */
    record Depth(long pendingDeliveries, Instant oldestReceived) {}

    /** The outbound queue's depth now (one read; for metrics and the admin). */
    Depth depth();

    Optional<Entry> show(long queueMessageId);

    /** Holds the message's PENDING deliveries. @return rows changed */
    int hold(long queueMessageId);

    /** Releases held deliveries (due at once). @return rows changed */
    int release(long queueMessageId);

    /** Makes the message's PENDING, not held deliveries due now. @return rows changed */
    int retryNow(long queueMessageId);

    /** Makes every PENDING, not held delivery due now. @return rows changed */
    int retryAll();

    /** Sets the priority of the message's deliveries (higher goes first). @return rows changed */
    int prioritize(long queueMessageId, int priority);

    /** Deletes the message from the queue: no further attempt, no DSN. @return false when there was none */
    boolean delete(long queueMessageId);

    /**
     * Gives up on the message's PENDING deliveries now: FAILED with {@code reason}, and a
     * failure DSN owed when the sender is not null and NOTIFY allows it (RFC 3461 §4.1).
     *
     * @return rows changed
     */
    int bounce(long queueMessageId, String reason);

    // ---- values ----

    enum State { PENDING, DELIVERED, FAILED }

    /** RFC 3464 §2.3.3 actions a DSN may report. */
    enum DsnAction {
        FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Null-safe parse of a stored value. */
        public static DsnAction of(String s) {
            return s == null ? null : valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A queued message as the transport needs it: envelope facts and the DSN parameters.
     *
     * @param mailFrom   reverse-path, {@code ""} for the null sender
     * @param bodyType   {@code 7BIT}, {@code 8BITMIME}, {@code BINARYMIME} or null
     * @param dsnRet     {@code FULL}, {@code HDRS} or null
     * @param prepared   the before-first-attempt hook has run
     */
    record QueueMessage(long id, BlobRef blob, String mailFrom, Instant receivedAt, boolean requireTls,
                        boolean smtpUtf8, String bodyType, String dsnRet, String dsnEnvid, String authUser,
                        String clientAddress, String helo, boolean prepared) {
        public QueueMessage {
            Objects.requireNonNull(blob, "blob");
            Objects.requireNonNull(mailFrom, "mailFrom");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        public boolean nullSender() {
            return mailFrom.isEmpty();
        }
    }

    /**
     * One remote delivery.
     *
     * @param address   the remote address to deliver to
     * @param recipient the spool recipient this came from (before alias expansion)
     * @param dsnNotify RFC 3461 NOTIFY of that recipient as a comma list, or null (not given)
     * @param orcpt     RFC 3461 ORCPT ({@code rfc822;addr}) of that recipient, or null
     */
    record Delivery(long id, long queueMessageId, long recipientId, String address, String recipient, String dsnNotify,
                    String orcpt, State state, int attempts, int priority, boolean held, Instant nextAttemptAt,
                    Instant firstAttemptAt, Instant lastAttemptAt, Instant warnedAt, Instant doneAt, String lastReply,
                    String remoteMta, DsnAction dsnPending) {

        /** The domain part of {@link #address()}, lower case. */
        public String domain() {
            int at = address.lastIndexOf('@');
            return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        }

        /** True when NOTIFY lists {@code value} (SUCCESS, FAILURE, DELAY); false for NEVER. */
        public boolean notifies(String value) {
            if (dsnNotify == null) return false;
            for (String v : dsnNotify.split(",")) if (v.strip().equalsIgnoreCase(value)) return true;
            return false;
        }

        /** True when no NOTIFY was given (RFC 3461 §4.1: then FAILURE and, at the MTA's choice, DELAY). */
        public boolean notifyAbsent() {
            return dsnNotify == null || dsnNotify.isBlank();
        }
    }

    /** The due deliveries of one message. */
    record DueMessage(QueueMessage message, List<Delivery> deliveries) {
        public DueMessage {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** The due messages for one destination domain. */
    record DueDomain(String domain, List<DueMessage> messages) {
        public DueDomain {
            messages = List.copyOf(messages);
        }
    }

    /** A message with the deliveries a DSN is owed for. */
    record Notification(QueueMessage message, List<Delivery> deliveries) {
        public Notification {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** A message in the queue with all its remote deliveries (CLI). */
    record Entry(QueueMessage message, List<Delivery> deliveries) {
        public Entry {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** The result of one attempt for one delivery. */
    sealed interface Result {
        long deliveryId();

        /** The reply text (e.g. {@code 250 2.0.0 Ok}) or our own diagnostic. */
        String reply();

        /** The host that answered, or null. */
        String remoteMta();
    }

    /**
     * Accepted by the remote side: DELIVERED.
     *
     * @param dsn {@link DsnAction#DELIVERED} or {@link DsnAction#RELAYED} when a success DSN is owed, else null
     */
    record Delivered(long deliveryId, String reply, String remoteMta, Instant at, DsnAction dsn) implements Result {}

    /**
     * Not now: attempts + 1, next attempt at {@code nextAttemptAt}.
     *
     * @param delayDsn  a delay DSN is owed now (sets {@code warned_at}; at most once per delivery)
     */
    record Deferred(long deliveryId, String reply, String remoteMta, Instant at, Instant nextAttemptAt,
                    boolean delayDsn) implements Result {}

    /**
     * Permanent failure: FAILED.
     *
     * @param dsn a failure DSN is owed
     */
    record Failed(long deliveryId, String reply, String remoteMta, Instant at, boolean dsn) implements Result {}
}
