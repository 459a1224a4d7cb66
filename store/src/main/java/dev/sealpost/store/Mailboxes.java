package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Read access to accounts' mailboxes and messages (IMAP builds on this). */
public interface Mailboxes {

    /** The account's mailboxes, INBOX first, then by name; empty for an unknown account. */
    List<MailboxInfo> list(long accountId);

    /**
     * The messages of one mailbox by ascending UID; empty when there is no such mailbox.
     * {@code INBOX} matches case-insensitively (RFC 3501 §5.1).
     */
    List<MessageInfo> messages(long accountId, String mailboxName);

    /**
     * The cached serialized structure of a stored message ({@code messages.id}); empty when there is
     * no such message or nothing was cached.
     */
    Optional<byte[]> structure(long messageId);

    /**
     * The cached summary of a stored message ({@code messages.id}); empty when there is no such
     * message, otherwise a summary whose components are null where nothing was cached.
     */
    Optional<MessageSummary> summary(long messageId);

    /**
     * @param specialUse RFC 6154 attribute such as {@code \Sent}, or null
     * @param uidValidity RFC 3501 §2.3.1.1 UIDVALIDITY
     * @param highestModSeq RFC 7162 HIGHESTMODSEQ
     */
    record MailboxInfo(long id, String name, String specialUse, long uidValidity, long uidNext,
                       long highestModSeq, int messages) {}

    record MessageInfo(long id, long uid, long modSeq, Set<String> flags, Instant internalDate,
                       long size, String blobId) {}
}
