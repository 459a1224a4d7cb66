package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;
import dev.sealpost.imap.server.ImapSession.State;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MailboxInfo;
import dev.sealpost.store.Mailboxes.MessageInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Entering and leaving the selected state: SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3, with
 * CONDSTORE and the QRESYNC replay of RFC 7162 §3.2.5), CLOSE, UNSELECT (RFC 3691), CHECK
 * (RFC 3501 §6.4.1), and ENABLE (RFC 5161).
 */
final class SelectCommands extends CommandFamily {
    SelectCommands(ImapSession session) {
        super(session);
    }

    String enable(List<Arg> a) throws IOException, CommandFailed {
        if (a.isEmpty()) throw bad("ENABLE needs a capability");
        List<String> on = new ArrayList<>();
        for (Arg x : a) {
            String c = text(x).toUpperCase(Locale.ROOT);
            switch (c) {
                case "IMAP4REV2" -> {
                    if (!rev2()) on.add("IMAP4rev2");
                    rev2(true);
                }
                case "CONDSTORE" -> {
                    if (!condstore()) on.add("CONDSTORE");
                    enableCondstore();
                }
                case "QRESYNC" -> { // RFC 7162 §3.2.3: implies CONDSTORE
                    if (!qresync()) on.add("QRESYNC");
                    qresync(true);
                    enableCondstore();
                }
                case "UTF8=ACCEPT" -> { // RFC 6855 §3
                    if (!utf8()) on.add("UTF8=ACCEPT");
                    utf8(true);
                }
                default -> { } // RFC 5161 §3.1: unknown capabilities are ignored
            }
        }
        untagged("ENABLED" + (on.isEmpty() ? "" : " " + String.join(" ", on)));
        return "ENABLE completed";
    }

    // ================================================================ SELECT / EXAMINE

    String select(String tag, List<Arg> a, boolean examine) throws IOException, CommandFailed, ImapSyntaxException {
        if (a.isEmpty() || a.size() > 2) throw bad("SELECT mailbox [(parameters)]");
        boolean wasSelected = selected() != null;
        selected(null);
        state(State.AUTHENTICATED);
        searchRes(List.of());
        // RFC 7162 §3.2.11 / RFC 9051 §7.1: the old mailbox is closed before the new one opens
        if (wasSelected && (qresync() || condstore() || rev2())) untagged("OK [CLOSED] Previous mailbox closed");
        boolean condstoreParam = false;
        long[] qr = null;
        SequenceSet qrKnown = null;
        if (a.size() == 2) {
            if (!(a.get(1) instanceof Arg.ListArg params)) throw bad("SELECT parameters must be a list");
            List<Arg> p = params.items();
            for (int i = 0; i < p.size(); i++) {
                String n = Arg.text(p.get(i));
                if ("CONDSTORE".equalsIgnoreCase(n)) { // RFC 7162 §3.1.8
                    condstoreParam = true;
                } else if ("QRESYNC".equalsIgnoreCase(n) && i + 1 < p.size() && p.get(i + 1) instanceof Arg.ListArg ql) {
                    if (!qresync()) throw bad("QRESYNC is not enabled"); // RFC 7162 §3.2.5
                    i++;
                    List<Arg> q = ql.items();
                    if (q.size() < 2) throw bad("QRESYNC (uidvalidity modseq [known-uids])");
                    qr = new long[] {number(q.get(0)), number(q.get(1))};
                    if (q.size() >= 3 && q.get(2) instanceof Arg.Atom known) qrKnown = SequenceSet.parse(known.value());
                } else {
                    throw bad("Unknown SELECT parameter");
                }
            }
        }
        if (condstoreParam) condstore(true); // RFC 7162 §3.1.8: CONDSTORE parameter enables CONDSTORE
        Target t = existing(a.get(0), 'r');
        MailboxInfo mb = t.info();
        boolean readOnly = examine || (!t.own() && !(t.has('s') || t.has('w') || t.has('t') || t.has('e')));
        List<MessageInfo> msgs = mailboxes().messages(mb.id());
        SelectedMailbox s = new SelectedMailbox(mb.id(), mb.accountId(), t.wireName(), readOnly, t.rights(), mb.uidValidity(), mb.highestModSeq());
        s.maxKeywords = cfg().limits().maxKeywords();
        for (MessageInfo m : msgs) {
            s.uids.add(m.uid());
            s.put(m);
            s.knownModSeq = Math.max(s.knownModSeq, m.modSeq());
        }
        untagged(s.flagsResponse()); // RFC 9051 §7.3.5, with the keywords in use
        // RFC 3501 §6.3.1, §6.3.2: SELECT claims the messages no session has seen as \Recent; EXAMINE only looks
        RecentTracker recentTracker = RecentTracker.of(mailboxes());
        long firstRecent = readOnly ? recentTracker.peek(mb.id(), mb.uidValidity())
                : recentTracker.claim(mb.id(), mb.uidValidity(), s.maxUid());
        for (long u : s.uids) if (u >= firstRecent) s.recent.add(u);
        untagged(s.uids.size() + " EXISTS");
        if (!rev2()) untagged(s.recent.size() + " RECENT"); // RFC 3501 §7.3.2 (RFC 9051 dropped \Recent)
        if (!rev2()) {
            for (int i = 0; i < s.uids.size(); i++) {
                if (!s.byUid.get(s.uids.get(i)).flags().contains("\\Seen")) {
                    untagged("OK [UNSEEN " + (i + 1) + "] First unseen"); // RFC 3501 §6.3.1
                    break;
                }
            }
        }
        untagged("OK [UIDVALIDITY " + mb.uidValidity() + "] UIDs valid");
        untagged("OK [UIDNEXT " + mb.uidNext() + "] Predicted next UID");
        untagged(s.permanentFlagsResponse()); // RFC 9051 §7.1: () when read-only
        s.keywordsAnnounced();
        if (condstore()) untagged("OK [HIGHESTMODSEQ " + mb.highestModSeq() + "] Highest"); // RFC 7162 §3.1.2.1
        if (rev2()) untagged("LIST (" + String.join(" ", session.list.attributes(mb, true)) + ") \"/\" " + mbox(t.wireName())); // RFC 9051 §6.3.2
        selected(s);
        state(State.SELECTED);
        if (qr != null && qr[0] == mb.uidValidity()) qresyncReplay(s, qr[1], qrKnown);
        log.info("{} {} {}", id(), examine ? "EXAMINE" : "SELECT", t.storeName());
        return (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + (examine ? "EXAMINE" : "SELECT") + " completed";
    }

    /** RFC 7162 §3.2.5.1: what changed since the client's MODSEQ: VANISHED (EARLIER) and FETCH. */
    void qresyncReplay(SelectedMailbox s, long modSeq, SequenceSet known) throws IOException {
        Mailboxes.Changes ch = mailboxes().changes(s.mailboxId, modSeq).orElse(null);
        if (ch == null) return;
        List<Long> gone = new ArrayList<>();
        long max = Math.max(s.maxUid(), 1);
        for (long u : ch.expungedUids()) if (known == null || known.contains(u, max)) gone.add(u);
        if (!gone.isEmpty()) untagged("VANISHED (EARLIER) " + uidSet(gone));
        for (MessageInfo m : ch.changed()) {
            int seq = s.seq(m.uid());
            if (seq <= 0) continue;
            s.put(m);
            fetchResponse(s, seq, "UID " + m.uid() + " FLAGS " + flagList(viewFlags(m)) + " MODSEQ (" + m.modSeq() + ")");
        }
    }

    // ================================================================ selected state: CLOSE, UNSELECT, EXPUNGE

    /** RFC 3501 §6.4.1 CHECK (removed in RFC 9051; harmless). */
    String check(List<Arg> a) throws CommandFailed {
        noArgs(a);
        return "CHECK completed";
    }

    String close(List<Arg> a) throws CommandFailed {
        noArgs(a);
        SelectedMailbox s = selected();
        if (!s.readOnly && (s.rights.indexOf('e') >= 0)) mailboxes().expunge(s.mailboxId, null); // RFC 9051 §6.4.1: silently
        selected(null);
        state(State.AUTHENTICATED);
        return "CLOSE completed";
    }

    String unselect(List<Arg> a) throws CommandFailed {
        noArgs(a);
        selected(null);
        state(State.AUTHENTICATED);
        return "UNSELECT completed";
    }
}
