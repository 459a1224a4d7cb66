package dev.sealpost.inbound;

import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;

import java.io.IOException;
import java.util.List;

/**
 * Told of every message the moment it is durably in the spool and before the "250" goes out
 * (the evidence log: a record of the acceptance, durable before the reply that it attests).
 * One instance serves every session: implementations are thread-safe.
 */
public interface AcceptanceListener {
    /**
     * Whether a header field of the received content is a request to this listener that must
     * not be stored or sent on (e.g. {@code Sealpost-Receipt: yes}). A field removed here is
     * given back in {@link Accepted#removed()}.
     *
     * @param value the unfolded field value
     */
    default boolean consumesHeader(SessionInfo session, String name, String value) {
        return false;
    }

    /**
     * The message is in the spool; the client has not been answered yet. Throwing turns the
     * reply into 451 4.3.0 (the message stays queued: the client's retry may deliver it twice,
     * which RFC 5321 §6.1 accepts over losing it).
     */
    void accepted(SessionInfo session, MailTransaction tx, Accepted message) throws IOException;

    /**
     * Rows to commit in the spool's own transaction with the message (the evidence journal:
     * records durable in the same commit as the acceptance, so that the "250" waits for one
     * disk round trip, not two). Null (the default): nothing. The journal returned is given back
     * to {@link #accepted(SessionInfo, MailTransaction, Accepted, dev.sealpost.store.Spool.Journal)}
     * after the commit.
     *
     * @param pending what is known of the message before its commit (no queue id, no hash yet)
     */
    default dev.sealpost.store.Spool.Journal journal(SessionInfo session, MailTransaction tx, Pending pending) {
        return null;
    }

    /** As {@link #accepted(SessionInfo, MailTransaction, Accepted)}, with the journal that committed with the message (or null). */
    default void accepted(SessionInfo session, MailTransaction tx, Accepted message, dev.sealpost.store.Spool.Journal journal) throws IOException {
        accepted(session, tx, message);
    }

    /** {@link Accepted} before the commit: the fields known then. */
    record Pending(String messageId, List<String> added, List<String> removed, List<String> filed) {}

    /**
     * @param queueId   the spool's queue id
     * @param sha256    lower-case hex SHA-256 of the exact bytes stored (our trace fields included)
     * @param size      their length
     * @param messageId the first Message-ID field's value as received, or null
     * @param added     the header fields the content policies prepended (e.g. Authentication-Results), complete with CRLF
     * @param removed   the fields {@link #consumesHeader} took out, as {@code name: value}
     * @param filed     the envelope recipients whose copies were filed into local mailboxes at acceptance (in the same commit)
     */
    record Accepted(long queueId, String sha256, long size, String messageId, List<String> added, List<String> removed, List<String> filed) {}
}
