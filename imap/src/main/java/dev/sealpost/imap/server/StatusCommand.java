package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Mailboxes.MailboxInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * STATUS (RFC 9051 §6.3.11, RFC 8438 SIZE, RFC 7889 APPENDLIMIT, RFC 3501 RECENT).
 */
final class StatusCommand extends CommandFamily {
    StatusCommand(ImapSession session) {
        super(session);
    }

    String status(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 2);
        if (!(a.get(1) instanceof Arg.ListArg items) || items.items().isEmpty()) throw bad("STATUS mailbox (items)");
        List<String> names = new ArrayList<>();
        for (Arg x : items.items()) names.add(text(x).toUpperCase(Locale.ROOT));
        for (String n : names) {
            if (!Set.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "HIGHESTMODSEQ", "RECENT", "APPENDLIMIT")
                    .contains(n)) throw bad("Unknown STATUS item " + n);
        }
        Target t = existing(a.get(0), 'r');
        if (names.contains("HIGHESTMODSEQ")) enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
        untagged("STATUS " + mbox(t.wireName()) + " (" + statusText(t.info(), names) + ")");
        return "STATUS completed";
    }

    String statusText(MailboxInfo m, List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "MESSAGES" -> parts.add("MESSAGES " + m.messages());
                case "UIDNEXT" -> parts.add("UIDNEXT " + m.uidNext());
                case "UIDVALIDITY" -> parts.add("UIDVALIDITY " + m.uidValidity());
                case "UNSEEN" -> parts.add("UNSEEN " + m.unseen());
                case "DELETED" -> parts.add("DELETED " + m.deleted());
                case "SIZE" -> parts.add("SIZE " + m.size()); // RFC 8438
                case "HIGHESTMODSEQ" -> parts.add("HIGHESTMODSEQ " + m.highestModSeq());
                case "RECENT" -> parts.add("RECENT " + recentCount(m)); // RFC 3501 §6.3.10
                case "APPENDLIMIT" -> parts.add("APPENDLIMIT " + cfg().limits().maxAppendBytes()); // RFC 7889 §3
                default -> { }
            }
        }
        return String.join(" ", parts);
    }

    /** RFC 3501 §6.3.10 STATUS RECENT: the messages no session has claimed as \Recent yet ({@link RecentTracker}). */
    long recentCount(MailboxInfo m) {
        long first = RecentTracker.of(mailboxes()).peek(m.id(), m.uidValidity());
        if (first <= 1) return m.messages();
        if (first >= m.uidNext()) return 0;
        return mailboxes().messages(m.id()).stream().filter(x -> x.uid() >= first).count();
    }
}
