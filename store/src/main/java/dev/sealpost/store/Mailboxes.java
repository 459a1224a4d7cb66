package dev.sealpost.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts' mailboxes and the messages in them: what IMAP (RFC 9051) and POP3 (RFC 1939) build on.
 *
 * <p>Naming: mailbox names are Unicode strings (IMAP's modified UTF-7 is decoded by the IMAP layer),
 * hierarchy separator {@link #SEPARATOR}; {@code INBOX} matches case-insensitively and is stored as
 * {@code INBOX} (RFC 9051 §5.1). Every write is one transaction through the store's writer and
 * durable on return. Each change to a mailbox raises its {@code highest_modseq} (RFC 7162 §3.1)
 * and every message touched gets the new MODSEQ; expunged UIDs are remembered with the MODSEQ of
 * their expunge so {@link #changes} can report them (RFC 7162 §3.2.5 VANISHED).
 */
public interface Mailboxes {

    /** The hierarchy separator of mailbox names. */
    char SEPARATOR = '/';

    // ------------------------------------------------------------------ reading

    /** The account's mailboxes, INBOX first, then by name; empty for an unknown account. */
    List<MailboxInfo> list(long accountId);

    /**
     * The messages of one mailbox by ascending UID; empty when there is no such mailbox.
     * {@code INBOX} matches case-insensitively (RFC 3501 §5.1).
     */
    List<MessageInfo> messages(long accountId, String mailboxName);

    /** The messages of one mailbox by ascending UID; empty when there is no such mailbox. */
    List<MessageInfo> messages(long mailboxId);

    /** One mailbox of an account by name (INBOX case-insensitive). */
    Optional<MailboxInfo> mailbox(long accountId, String name);

    /**
     * Whether the account has a mailbox of this name: {@link #mailbox(long, String)} without its
     * counts (cheap at any mailbox size; local delivery asks it for each Sieve fileinto).
     */
    default boolean exists(long accountId, String name) {
        return mailbox(accountId, name).isPresent();
    }

    /** One mailbox by id. */
    Optional<MailboxInfo> mailbox(long mailboxId);

    /**
     * What changed in a mailbox after {@code sinceModSeq}: messages whose MODSEQ is greater (new
     * or with changed flags) and UIDs expunged with a greater MODSEQ. Empty when the mailbox is gone.
     */
    Optional<Changes> changes(long mailboxId, long sinceModSeq);

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

    // ------------------------------------------------------------------ mailbox operations

    /**
     * Creates a mailbox (RFC 9051 §6.3.4). Missing superior names are created too. A name that was
     * used before gets a new, larger UIDVALIDITY. Refused: an empty name, a name with an empty level
     * (separator at the start or end, or doubled: the IMAP layer strips the trailing separator of
     * RFC 9051 §6.3.4 before calling), control characters, {@code *} or {@code %}, more than 1000
     * chars or 64 levels. {@code INBOX} (any case) gives {@code AlreadyExists}; an unknown account
     * {@code NotFound}.
     *
     * @param specialUse RFC 6154 attribute such as {@code \Archive}, or null (RFC 6154 §3 CREATE-SPECIAL-USE);
     *                   one of {@code \All \Archive \Drafts \Flagged \Junk \Sent \Trash} in any case
     *                   (stored canonical), else {@code Refused}
     */
    MailboxResult create(long accountId, String name, String specialUse);

    /**
     * Deletes a mailbox and its messages (RFC 9051 §6.3.5); INBOX cannot be deleted. Inferior
     * mailboxes stay. The account's used bytes drop by the deleted messages' sizes.
     */
    MailboxResult delete(long accountId, String name);

    /**
     * Renames a mailbox and all its inferiors (RFC 9051 §6.3.6), keeping their UIDVALIDITY. Renaming
     * INBOX moves all its messages to a new mailbox with the new name and leaves INBOX empty.
     */
    MailboxResult rename(long accountId, String from, String to);

    /**
     * Adds or removes a subscription (RFC 9051 §6.3.7); the name need not exist. Deleting a mailbox
     * keeps its subscription; renaming moves it. The default mailboxes of a new account are subscribed.
     *
     * @throws IllegalArgumentException for a name with control characters or longer than 1000 chars
     */
    void subscribe(long accountId, String name, boolean subscribed);

    /** The account's subscribed names, sorted. */
    List<String> subscriptions(long accountId);

    // ------------------------------------------------------------------ message operations

    /**
     * Appends messages whose blobs are already stored, in one transaction (RFC 3502 MULTIAPPEND is
     * all or nothing). Each gets the next UID; the account's quota is checked for their total size
     * (quota 0 is unlimited). THREADID: a message whose In-Reply-To / References (summary) names a
     * Message-ID already in one of the account's mailboxes joins that message's thread.
     *
     * @throws IllegalArgumentException when a blob is not stored or a flag is not an IMAP atom
     */
    AppendResult append(long mailboxId, List<NewMessage> messages);

    /**
     * Changes flags (RFC 9051 §6.4.6) of the messages with these UIDs (UIDs not present are ignored).
     * With {@code unchangedSince >= 0} (RFC 7162 §3.1.3 UNCHANGEDSINCE) a message whose MODSEQ is
     * greater is not changed and is reported in {@link FlagResult#modified()}. A message whose flags
     * end up equal to what they were keeps its MODSEQ and is not in {@code updated}. System flags
     * and keywords compare case-insensitively; system flags are stored in their canonical case,
     * {@code \Recent} never. For a mailbox that no longer exists the result is empty with
     * {@code highestModSeq} 0.
     *
     * @throws IllegalArgumentException for a flag that is not an IMAP atom
     */
    FlagResult store(long mailboxId, Collection<Long> uids, FlagMode mode, Set<String> flags, long unchangedSince);

    /**
     * Removes the messages with the {@code \Deleted} flag (RFC 9051 §6.4.3); with {@code uids}
     * non-null only those among them (RFC 4315 UID EXPUNGE). Returns the expunged UIDs ascending.
     */
    ExpungeResult expunge(long mailboxId, Collection<Long> uids);

    /**
     * Copies (or moves, RFC 6851: copy + expunge in one transaction) the messages with these UIDs to
     * another mailbox (possibly another account's, for shared mailboxes). Flags and internal date
     * are kept; EMAILID and THREADID are kept (RFC 8474); SAVEDATE is now (RFC 8514). The target
     * account's quota is checked.
     */
    CopyResult copy(long fromMailboxId, Collection<Long> uids, long toMailboxId, boolean move);

    // ------------------------------------------------------------------ ACL (RFC 4314) and METADATA (RFC 5464)

    /** Sets an identifier's rights on a mailbox; empty rights remove the entry. */
    void setRights(long mailboxId, String identifier, String rights);

    /** The mailbox's ACL entries other than the owner's implicit all rights: identifier -> rights. */
    Map<String, String> acl(long mailboxId);

    /** Mailboxes of other accounts on which {@code identifier} (an account address, or {@code anyone}) has rights. */
    List<SharedMailbox> sharedWith(String identifier);

    /**
     * Metadata entries (RFC 5464 §3.2): of a mailbox, or server/account entries when {@code mailboxId}
     * is null; only entries whose name starts with {@code prefix} ({@code ""} for all), by name.
     */
    Map<String, String> metadata(long accountId, Long mailboxId, String prefix);

    /**
     * Sets (or with a null value removes) one metadata entry. Entry names are case-insensitive and
     * stored in lower case; a {@code mailboxId} not of {@code accountId} stores nothing.
     */
    void setMetadata(long accountId, Long mailboxId, String entry, String value);

    // ------------------------------------------------------------------ change notification

    /**
     * Registers a listener run (briefly, on the committing thread) after every committed change to
     * any mailbox on this node: deliveries, appends, flag changes, expunges, copies and moves,
     * create/delete/rename/subscribe. IMAP IDLE and NOTIFY use it to wake sessions; they must still
     * read the state through {@link #changes} (several nodes: poll as well).
     *
     * @return a handle whose {@code close()} removes the listener
     */
    AutoCloseable onChange(MailboxListener listener);

    @FunctionalInterface
    interface MailboxListener {
        /**
         * @param accountId the account owning the mailbox
         * @param mailboxId the changed mailbox, or 0 when the account's list of mailboxes changed
         *                  (create, delete, rename, subscription)
         */
        void changed(long accountId, long mailboxId);
    }

    // ------------------------------------------------------------------ values

    /**
     * @param specialUse    RFC 6154 attribute such as {@code \Sent}, or null
     * @param uidValidity   RFC 3501 §2.3.1.1 UIDVALIDITY
     * @param highestModSeq RFC 7162 HIGHESTMODSEQ
     * @param messages      number of messages
     * @param unseen        number of messages without {@code \Seen}
     * @param size          sum of the messages' sizes (RFC 8438 STATUS=SIZE)
     * @param subscribed    whether the name is subscribed
     * @param deleted       number of messages with {@code \Deleted} (RFC 9051 STATUS DELETED)
     */
    record MailboxInfo(long id, long accountId, String name, String specialUse, long uidValidity, long uidNext,
                       long highestModSeq, int messages, int unseen, long size, boolean subscribed, int deleted) {}

    /**
     * @param id         {@code messages.id}, for {@link #structure} and {@link #summary}
     * @param flags      system flags with their backslash and keywords, as stored (case kept)
     * @param saveDate   RFC 8514 SAVEDATE: when it was put in this mailbox
     * @param emailId    RFC 8474 EMAILID (kept by copy and move)
     * @param threadId   RFC 8474 THREADID (messages linked by Message-ID / In-Reply-To / References share it)
     */
    record MessageInfo(long id, long uid, long modSeq, Set<String> flags, Instant internalDate,
                       long size, String blobId, Instant saveDate, String emailId, String threadId) {}

    /**
     * @param internalDate RFC 9051 §6.3.12 date-time given with APPEND, or null for now
     * @param summary      parsed facts to cache, or null
     */
    record NewMessage(BlobRef blob, Set<String> flags, Instant internalDate, MessageSummary summary) {
        public NewMessage {
            flags = Set.copyOf(flags);
        }
    }

    record Changes(MailboxInfo mailbox, List<MessageInfo> changed, List<Long> expungedUids) {}

    enum FlagMode { ADD, REMOVE, REPLACE }

    /** @param owner the owning account's address */
    record SharedMailbox(MailboxInfo mailbox, String owner, String rights) {}

    sealed interface MailboxResult {
        record Done(MailboxInfo mailbox) implements MailboxResult {}
        record NotFound() implements MailboxResult {}
        record AlreadyExists() implements MailboxResult {}
        /** e.g. deleting INBOX, an invalid name, a special-use attribute not known */
        record Refused(String reason) implements MailboxResult {}
    }

    sealed interface AppendResult {
        /** @param uids the new UIDs, in the order of the request (RFC 4315 APPENDUID) */
        record Appended(long uidValidity, List<Long> uids) implements AppendResult {}
        record NoMailbox() implements AppendResult {}
        /** RFC 9208 §4.3: the target account's STORAGE limit would be exceeded */
        record OverQuota() implements AppendResult {}
    }

    /**
     * @param updated       messages whose flags changed, with their new flags and MODSEQ
     * @param modified      UIDs not changed because of UNCHANGEDSINCE (RFC 7162 §3.1.3 MODIFIED)
     * @param highestModSeq the mailbox's HIGHESTMODSEQ after the change
     */
    record FlagResult(List<MessageInfo> updated, List<Long> modified, long highestModSeq) {}

    record ExpungeResult(List<Long> uids, long highestModSeq) {}

    sealed interface CopyResult {
        /** RFC 4315 COPYUID: source UIDs and the new UIDs, pairwise, ascending by source UID */
        record Copied(long uidValidity, List<Long> sourceUids, List<Long> targetUids) implements CopyResult {}
        record NoMailbox() implements CopyResult {}
        record OverQuota() implements CopyResult {}
    }
}
