package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;
import dev.sealpost.store.Mailboxes.MessageInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The selected mailbox as one session sees it: UIDs in sequence order, each message's last known
 * attributes, expunges not yet reported, \Recent, kept searches, and the keywords the client has
 * been told about.
 *
 * <p><b>Keywords.</b> A client learns the flags a mailbox defines from {@code FLAGS} and
 * {@code PERMANENTFLAGS}, and must never see a FETCH with a keyword that no FLAGS response named
 * (RFC 9051 §7.3.5, §2.3.2; RFC 3501 §7.2.6): another session, a delivery, or this session's own
 * STORE may create one at any time. The rule lives here: every message's attributes enter the
 * view through {@link #put}, which notes keywords not yet announced, and every FETCH is written
 * after {@link #announceKeywords} ({@link SelectedSync#fetchResponse} does both in that order), which
 * sends the new FLAGS and PERMANENTFLAGS first. The set only grows while the mailbox is selected.
 *
 * <p>Not thread-safe: used under the session's command lock.
 */
final class SelectedMailbox {
    /** RFC 9051 §2.3.2 system flags (without IMAP4rev1's session-only \Recent). */
    static final List<String> SYSTEM_FLAGS = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft");

    /** Writes one untagged response (the text after {@code "* "}). */
    @FunctionalInterface
    interface Untagged {
        void write(String response) throws IOException;
    }

    final long mailboxId;
    final long ownerId;
    final String wireName;
    final boolean readOnly;
    final String rights;
    final long uidValidity;
    long knownModSeq;
    final ArrayList<Long> uids = new ArrayList<>();
    /** Read it freely; change it only through {@link #put} and {@link #remove}. */
    final Map<Long, MessageInfo> byUid = new HashMap<>();
    /** Expunged in the store but not yet reported (RFC 9051 §7.5.1). */
    final Set<Long> pendingExpunge = new TreeSet<>();
    /** UIDs that are \Recent in this session (RFC 3501 §2.3.2; see {@link RecentTracker}). */
    final Set<Long> recent = new HashSet<>();
    /** RFC 5267 §4 searches kept up to date (they end with the mailbox). */
    final List<SearchCommands.UpdateContext> updates = new ArrayList<>();
    /** The view's state when the updates were last computed. */
    long updatesState = Long.MIN_VALUE;

    /** Keywords the client was told about (keywords compare case-insensitively, RFC 9051 §2.3.2). */
    private final Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** True when {@link #keywords} grew since the last FLAGS sent. */
    private boolean keywordsPending;

    SelectedMailbox(long mailboxId, long ownerId, String wireName, boolean readOnly, String rights, long uidValidity, long modSeq) {
        this.mailboxId = mailboxId;
        this.ownerId = ownerId;
        this.wireName = wireName;
        this.readOnly = readOnly;
        this.rights = rights;
        this.uidValidity = uidValidity;
        this.knownModSeq = modSeq;
    }

    /** Sequence number of a UID, or -1. */
    int seq(long uid) {
        int i = Collections.binarySearch(uids, uid);
        return i < 0 ? -1 : i + 1;
    }

    long maxUid() {
        return uids.isEmpty() ? 0 : uids.getLast();
    }

    /**
     * Records a message's latest attributes (a message already in the view, or one being added
     * after {@link #uids} got its UID); its keywords not yet announced become pending.
     */
    void put(MessageInfo m) {
        byUid.put(m.uid(), m);
        noteKeywords(m.flags());
    }

    /** Records {@code m} only when its UID is in the view (a STORE or FETCH result may name expunged ones). */
    void update(MessageInfo m) {
        if (byUid.containsKey(m.uid())) put(m);
    }

    void remove(long uid) {
        int i = Collections.binarySearch(uids, uid);
        if (i >= 0) uids.remove(i);
        byUid.remove(uid);
        recent.remove(uid);
    }

    private void noteKeywords(Collection<String> flags) {
        for (String f : flags) {
            if (!f.startsWith("\\") && keywords.add(f)) keywordsPending = true;
        }
    }

    /** Most distinct keywords of the mailbox ({@code imap.max_keywords}); at it, PERMANENTFLAGS no longer offers {@code \\*}. */
    int maxKeywords = Integer.MAX_VALUE;

    /** The keywords of the view (every message's, since SELECT), case-insensitive. */
    Set<String> keywords() {
        return Collections.unmodifiableSet(keywords);
    }

    /** True when a keyword entered the view that no FLAGS response has named yet. */
    boolean keywordsPending() {
        return keywordsPending;
    }

    /** {@code FLAGS (...)}: the system flags and every keyword of the view (RFC 9051 §7.3.5). */
    String flagsResponse() {
        List<String> f = new ArrayList<>(SYSTEM_FLAGS);
        f.addAll(keywords);
        return "FLAGS (" + String.join(" ", f) + ")";
    }

    /** {@code OK [PERMANENTFLAGS (...)]} (RFC 9051 §7.1): empty when read-only; else the flags, and {@code \*} below the keyword limit. */
    String permanentFlagsResponse() {
        if (readOnly) return "OK [PERMANENTFLAGS ()] No permanent flags permitted";
        List<String> f = new ArrayList<>(SYSTEM_FLAGS);
        f.addAll(keywords);
        // RFC 9051 §7.1: \* only while new keywords can still be created (imap.max_keywords)
        if (keywords.size() < maxKeywords) f.add("\\*");
        return "OK [PERMANENTFLAGS (" + String.join(" ", f) + ")] Flags permitted";
    }

    /**
     * Sends FLAGS and PERMANENTFLAGS when keywords entered the view since they were last sent
     * (RFC 9051 §7.3.5: before any FETCH that carries them). Call before writing a FETCH response.
     */
    void announceKeywords(Untagged out) throws IOException {
        if (!keywordsPending) return;
        out.write(flagsResponse());
        out.write(permanentFlagsResponse());
        keywordsPending = false;
    }

    /** Marks the keywords as announced (SELECT sends FLAGS and PERMANENTFLAGS itself). */
    void keywordsAnnounced() {
        keywordsPending = false;
    }

    /** The flags of a message as this session shows them: with \Recent for IMAP4rev1 (RFC 3501 §2.3.2). */
    Set<String> viewFlags(MessageInfo m, boolean rev2) {
        if (rev2 || !recent.contains(m.uid())) return m.flags();
        Set<String> f = new LinkedHashSet<>();
        f.add("\\Recent");
        f.addAll(m.flags());
        return f;
    }

    boolean isRecent(long uid, boolean rev2) {
        return !rev2 && recent.contains(uid);
    }

    /** The sequence numbers of those UIDs still in the view. */
    List<Long> seqs(Collection<Long> uids) {
        List<Long> out = new ArrayList<>();
        for (long u : uids) {
            int n = seq(u);
            if (n > 0) out.add((long) n);
        }
        return out;
    }

    /**
     * The UIDs a sequence set (or UID set, or {@code $}: the saved SEARCHRES) names in this view,
     * in sequence order.
     */
    List<Long> resolve(Arg a, boolean uid, List<Long> searchRes) throws CommandFailed, ImapSyntaxException {
        if (!(a instanceof Arg.Atom at)) throw CommandFailed.bad("Expected a sequence set");
        String t = at.value();
        if (t.equals("$")) { // RFC 5182 §2.1
            return searchRes.stream().filter(byUid::containsKey).sorted().toList();
        }
        SequenceSet set = SequenceSet.parse(t);
        List<Long> out = new ArrayList<>();
        if (uid) {
            long max = maxUid();
            if (max == 0) return out;
            for (long u : uids) if (set.contains(u, max)) out.add(u);
            return out;
        }
        int size = uids.size();
        TreeSet<Integer> seqs = new TreeSet<>();
        for (SequenceSet.Range r : set.ranges()) {
            if (size == 0) {
                if (r.from() == SequenceSet.STAR || r.to() == SequenceSet.STAR) continue;
                throw CommandFailed.bad("Invalid message sequence number: mailbox is empty");
            }
            SequenceSet.Range x = r.resolve(size);
            if (x.to() > size) throw CommandFailed.bad("Invalid message sequence number " + x.to()); // RFC 9051 §9 seq-number
            for (long n = x.from(); n <= x.to(); n++) seqs.add((int) n);
        }
        for (int n : seqs) out.add(uids.get(n - 1));
        return out;
    }
}
