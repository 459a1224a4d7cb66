package dev.sealpost.imap.server;

import dev.sealpost.imap.fetch.FetchRenderer;
import dev.sealpost.imap.fetch.FetchRequest;
import dev.sealpost.imap.fetch.UnknownCteException;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MessageInfo;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5), with CONDSTORE's CHANGEDSINCE and QRESYNC's VANISHED (RFC
 * 7162).
 */
final class FetchCommand extends CommandFamily {
    FetchCommand(ImapSession session) {
        super(session);
    }

    String fetch(List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        SelectedMailbox s = selected();
        if (a.size() < 2) throw bad("FETCH set items");
        List<Long> uids = resolve(a.get(0), uid);
        FetchRequest req = FetchRequest.parse(a.subList(1, a.size()));
        // RFC 9051 §6.4.9: UID FETCH returns the UID; with QRESYNC every FETCH response carries it (RFC 7162 §3.2.4)
        if (uid || qresync()) req = req.withUid();
        long since = req.changedSince();
        if (since >= 0 || req.hasModSeq()) enableCondstore(); // RFC 7162 §3.1: CONDSTORE-enabling
        if (req.vanished()) {
            // RFC 7162 §3.2.6: VANISHED only with UID FETCH, QRESYNC enabled, and CHANGEDSINCE
            if (!uid || !qresync() || since < 0) throw bad("VANISHED needs UID FETCH, CHANGEDSINCE and an enabled QRESYNC");
            Mailboxes.Changes ch = mailboxes().changes(s.mailboxId, since).orElse(null);
            if (ch != null && a.get(0) instanceof Arg.Atom at && !at.value().equals("$")) {
                SequenceSet set = SequenceSet.parse(at.value());
                long max = Math.max(s.maxUid(), ch.mailbox().uidNext() - 1);
                List<Long> gone = ch.expungedUids().stream().filter(u -> set.contains(u, max)).toList();
                if (!gone.isEmpty()) untagged("VANISHED (EARLIER) " + uidSet(gone));
            }
        }
        boolean flagsChanged = false;
        if (req.setsSeen() && !s.readOnly && s.rights.indexOf('s') >= 0) {
            // RFC 9051 §6.4.5: BODY[...] without .PEEK sets \Seen; the response then carries FLAGS
            List<Long> unseen = uids.stream().filter(u -> {
                MessageInfo m = s.byUid.get(u);
                return m != null && !m.flags().contains("\\Seen");
            }).toList();
            if (!unseen.isEmpty()) {
                Mailboxes.FlagResult r = mailboxes().store(s.mailboxId, unseen, Mailboxes.FlagMode.ADD, Set.of("\\Seen"), -1);
                for (MessageInfo m : r.updated()) s.update(m);
                flagsChanged = true;
            }
        }
        if (flagsChanged) req = req.withFlags();
        if (condstore() && req.has(FetchRequest.Attr.FLAGS)) req = req.withModSeq(); // RFC 7162 §3.1.4
        int failed = 0;
        for (long u : uids) {
            MessageInfo m = s.byUid.get(u);
            if (m == null) continue;
            if (since >= 0 && m.modSeq() <= since) continue; // RFC 7162 §3.1.4.1 CHANGEDSINCE
            int seq = s.seq(u);
            byte[] data;
            try {
                data = FetchRenderer.render(req, new StoredMessage(seq, m, isRecent(u), store().blobs(), mailboxes()));
            } catch (UnknownCteException e) {
                throw no("[UNKNOWN-CTE] " + e.getMessage()); // RFC 3516 §4.3
            } catch (java.nio.file.NoSuchFileException e) {
                log.warn("{} message uid={} of mailbox {} has no content blob", id(), u, s.mailboxId);
                failed++;
                continue;
            }
            fetchResponse(s, seq, data);
        }
        if (failed > 0) throw no("Some messages could not be read");
        return "FETCH completed";
    }
}
