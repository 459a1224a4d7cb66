package dev.sealpost.imap.server;

import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MessageInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The selected mailbox's updates: what changed since the session last looked (EXISTS, FETCH
 * FLAGS, EXPUNGE or VANISHED), sent where RFC 9051 §7.5.1 allows ({@link CommandSpec#mayExpunge}),
 * and every FETCH response, after any new keywords' FLAGS (see {@link SelectedMailbox}).
 */
final class SelectedSync extends CommandFamily {
    SelectedSync(ImapSession session) {
        super(session);
    }

    /**
     * Reports what changed in the selected mailbox since it was last looked at: new messages
     * (EXISTS), flag changes (FETCH), and expunges (EXPUNGE, or VANISHED with QRESYNC) unless
     * {@code allowExpunge} is false (RFC 9051 §7.5.1), in which case they wait.
     */
    void sync(boolean allowExpunge) throws IOException {
        SelectedMailbox s = selected();
        if (s == null) return;
        Mailboxes.Changes ch = mailboxes().changes(s.mailboxId, s.knownModSeq).orElse(null);
        if (ch == null) {
            log.info("{} selected mailbox was deleted", id());
            untagged("BYE Selected mailbox was deleted"); // RFC 9051 §7.1.5
            flush();
            throw new ImapSession.Close();
        }
        long lastUid = s.maxUid();
        List<MessageInfo> added = new ArrayList<>();
        List<Long> flagged = new ArrayList<>();
        for (MessageInfo m : ch.changed()) {
            MessageInfo old = s.byUid.get(m.uid());
            if (old != null) {
                if (!old.flags().equals(m.flags()) || (condstore() && old.modSeq() != m.modSeq())) flagged.add(m.uid());
                s.put(m);
            } else if (m.uid() > lastUid) {
                added.add(m);
            }
        }
        for (long u : ch.expungedUids()) if (s.byUid.containsKey(u)) s.pendingExpunge.add(u);
        if (allowExpunge && !s.pendingExpunge.isEmpty()) {
            reportExpunged(s, new ArrayList<>(s.pendingExpunge));
            s.pendingExpunge.clear();
        }
        if (!added.isEmpty()) {
            added.sort((x, y) -> Long.compare(x.uid(), y.uid()));
            for (MessageInfo m : added) {
                s.uids.add(m.uid());
                s.put(m);
            }
            // RFC 3501 §2.3.2: new messages are \Recent in the first read-write session that sees them
            RecentTracker recentTracker = RecentTracker.of(mailboxes());
            long firstRecent = s.readOnly ? recentTracker.peek(s.mailboxId, s.uidValidity)
                    : recentTracker.claim(s.mailboxId, s.uidValidity, added.getLast().uid());
            for (MessageInfo m : added) if (m.uid() >= firstRecent) s.recent.add(m.uid());
            untagged(s.uids.size() + " EXISTS");
            if (!rev2()) untagged(s.recent.size() + " RECENT"); // RFC 3501 §7.3.1
        }
        for (long u : flagged) {
            int seq = s.seq(u);
            if (seq > 0) fetchResponse(s, seq, flagItems(s.byUid.get(u), true));
        }
        s.knownModSeq = Math.max(s.knownModSeq, ch.mailbox().highestModSeq());
    }

    /**
     * Writes {@code * seq FETCH (items)}, after FLAGS and PERMANENTFLAGS when the view holds a
     * keyword the client was not told about (RFC 9051 §7.3.5: the keyword set is announced before
     * a FETCH can carry it; see {@link SelectedMailbox}). Every FETCH response goes through here
     * or {@link #fetchResponse(SelectedMailbox, int, byte[])}.
     */
    void fetchResponse(SelectedMailbox s, int seq, String items) throws IOException {
        s.announceKeywords(this::untagged);
        untagged(seq + " FETCH (" + items + ")");
    }

    /** {@code * seq FETCH} followed by rendered data that starts with "(" (see the String form). */
    void fetchResponse(SelectedMailbox s, int seq, byte[] data) throws IOException {
        s.announceKeywords(this::untagged);
        output().fetch(seq, data);
    }

    /** Removes expunged UIDs from the view and tells the client: VANISHED with QRESYNC (RFC 7162 §3.2.10), else EXPUNGE. */
    void reportExpunged(SelectedMailbox s, List<Long> uids) throws IOException {
        List<Long> present = uids.stream().filter(s.byUid::containsKey).sorted().toList();
        if (present.isEmpty()) return;
        // RFC 5267 §4.3: results kept up to date lose the expunged messages (numbered as before the expunge)
        for (SearchCommands.UpdateContext u : s.updates) {
            List<Long> now = new ArrayList<>(u.result);
            now.removeAll(present);
            if (now.size() != u.result.size()) session.search.sendUpdate(s, u, now);
        }
        if (qresync()) {
            for (long u : present) s.remove(u);
            untagged("VANISHED " + uidSet(present));
            return;
        }
        // highest sequence number first: the numbers of the others do not move
        for (int i = present.size() - 1; i >= 0; i--) {
            int seq = s.seq(present.get(i));
            s.remove(present.get(i));
            untagged(seq + " EXPUNGE");
        }
    }
}
