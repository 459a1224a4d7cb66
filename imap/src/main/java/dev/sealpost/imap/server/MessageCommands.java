package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MessageInfo;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Commands that change messages of the selected mailbox: EXPUNGE and UID EXPUNGE (RFC 9051 §6.4.3,
 * RFC 4315), STORE (§6.4.6, RFC 7162 §3.1.3), COPY and MOVE (§6.4.7, §6.4.8, RFC 6851).
 */
final class MessageCommands extends CommandFamily {
    MessageCommands(ImapSession session) {
        super(session);
    }

    String expunge(List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        SelectedMailbox s = selected();
        List<Long> only = null;
        if (uid) { // RFC 4315 §2.1 UID EXPUNGE
            argc(a, 1);
            only = resolve(a.get(0), true);
        } else {
            noArgs(a);
        }
        if (s.readOnly) throw no("[READ-ONLY] Mailbox is read-only");
        if (s.rights.indexOf('e') < 0) throw no("[NOPERM] Permission denied");
        if (only != null && only.isEmpty()) return "EXPUNGE completed";
        Mailboxes.ExpungeResult r = mailboxes().expunge(s.mailboxId, only);
        reportExpunged(s, r.uids());
        return (condstore() ? "[HIGHESTMODSEQ " + r.highestModSeq() + "] " : "") + "EXPUNGE completed";
    }

    // ================================================================ STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3)

    String storeFlags(List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        SelectedMailbox s = selected();
        if (a.size() < 3) throw bad("STORE set [(UNCHANGEDSINCE n)] item flags");
        List<Long> uids = resolve(a.get(0), uid);
        int i = 1;
        long unchangedSince = -1;
        if (a.get(i) instanceof Arg.ListArg mods) {
            List<Arg> m = mods.items();
            if (m.size() != 2 || !"UNCHANGEDSINCE".equalsIgnoreCase(Arg.text(m.get(0)))) throw bad("Unknown STORE modifier");
            unchangedSince = number(m.get(1));
            enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
            i++;
        }
        String item = text(a.get(i++)).toUpperCase(Locale.ROOT);
        boolean silent = item.endsWith(".SILENT");
        if (silent) item = item.substring(0, item.length() - 7);
        Mailboxes.FlagMode mode = switch (item) {
            case "FLAGS" -> Mailboxes.FlagMode.REPLACE;
            case "+FLAGS" -> Mailboxes.FlagMode.ADD;
            case "-FLAGS" -> Mailboxes.FlagMode.REMOVE;
            default -> throw bad("Unknown STORE item " + item);
        };
        List<Arg> rest = a.subList(i, a.size());
        Set<String> fl = rest.size() == 1 && rest.getFirst() instanceof Arg.ListArg l ? flags(l.items()) : flags(rest);
        if (s.readOnly) throw no("[READ-ONLY] Mailbox is read-only");
        fl = permitted(fl, s.rights);
        if (mode != Mailboxes.FlagMode.REMOVE) checkKeywordLimit(s.keywords(), fl); // imap.max_keywords
        Mailboxes.FlagResult r = uids.isEmpty() ? new Mailboxes.FlagResult(List.of(), List.of(), s.knownModSeq)
                : mailboxes().store(s.mailboxId, uids, mode, fl, unchangedSince);
        Set<Long> updated = new java.util.HashSet<>();
        for (MessageInfo m : r.updated()) {
            s.update(m);
            updated.add(m.uid());
        }
        Set<Long> modified = new java.util.HashSet<>(r.modified());
        for (long u : uids) {
            if (modified.contains(u)) continue;
            boolean send = !silent || (unchangedSince >= 0 && updated.contains(u));
            MessageInfo m = s.byUid.get(u);
            if (!send || m == null) continue;
            boolean withUid = uid || qresync(); // RFC 7162 §3.2.4
            String items = silent ? (withUid ? "UID " + u + " " : "") + "MODSEQ (" + m.modSeq() + ")" : flagItems(m, withUid);
            fetchResponse(s, s.seq(u), items);
        }
        if (!modified.isEmpty()) {
            return "[MODIFIED " + seqOrUidSet(modified, uid) + "] Conditional STORE failed"; // RFC 7162 §3.1.3
        }
        return "STORE completed";
    }

    // ================================================================ COPY / MOVE (RFC 9051 §6.4.7, §6.4.8, RFC 6851, RFC 4315)

    String copy(List<Arg> a, boolean uid, boolean move) throws IOException, CommandFailed, ImapSyntaxException {
        argc(a, 2);
        SelectedMailbox s = selected();
        List<Long> uids = resolve(a.get(0), uid);
        String name = mailboxName(a.get(1));
        Target t = target(name);
        String what = move ? "MOVE" : "COPY";
        if (t.info() == null) throw no(t.own() ? "[TRYCREATE] No such mailbox" : "[NONEXISTENT] No such mailbox");
        if (!t.own() && !t.has('i')) throw no("[NOPERM] Permission denied");
        if (move && (s.readOnly || s.rights.indexOf('t') < 0 || s.rights.indexOf('e') < 0)) {
            throw no(s.readOnly ? "[READ-ONLY] Mailbox is read-only" : "[NOPERM] Permission denied");
        }
        if (uids.isEmpty()) return what + " completed (no messages)";
        return switch (mailboxes().copy(s.mailboxId, uids, t.info().id(), move)) {
            case Mailboxes.CopyResult.Copied c -> {
                String code = "[COPYUID " + c.uidValidity() + " " + orderedSet(c.sourceUids()) + " " + orderedSet(c.targetUids()) + "]";
                log.info("{} {} {} message(s) to {}", id(), what, c.sourceUids().size(), t.storeName());
                if (!move) yield code + " COPY completed";
                untagged("OK " + code + " Moved"); // RFC 6851 §4.3
                reportExpunged(s, c.sourceUids());
                yield "MOVE completed";
            }
            case Mailboxes.CopyResult.NoMailbox x -> throw no("[TRYCREATE] No such mailbox");
            case Mailboxes.CopyResult.OverQuota x -> throw no("[OVERQUOTA] Quota exceeded");
        };
    }
}
