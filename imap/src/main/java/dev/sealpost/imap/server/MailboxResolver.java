package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.ModifiedUtf7;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MailboxInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.sealpost.imap.server.ImapSession.ALL_RIGHTS;
import static dev.sealpost.imap.server.ImapSession.OTHER_USERS;

/**
 * Mailbox names as the client gives them, resolved to the session's own mailboxes or to shared
 * ones under {@code "Other Users/owner/"} (RFC 2342, RFC 4314), with this session's rights on
 * them.
 */
final class MailboxResolver extends CommandFamily {
    MailboxResolver(ImapSession session) {
        super(session);
    }

    /** A mailbox the client named: its owner, store name, and this session's rights on it. */
    record Target(long accountId, String storeName, String wireName, MailboxInfo info, String rights, boolean own) {
        boolean has(char right) {
            return rights.indexOf(right) >= 0;
        }
    }

    /** The Unicode mailbox name from a {@code mailbox} argument (RFC 9051 §5.1: INBOX in any case is INBOX). */
    String mailboxName(Arg a) throws CommandFailed {
        String t = text(a);
        String name;
        if (utf8()) {
            name = t;
        } else {
            try {
                name = ModifiedUtf7.decode(t);
            } catch (ImapSyntaxException e) {
                // RFC 3501 §5.1.3: a name that is not modified UTF-7 is a valid astring, so not BAD;
                // no mailbox can have that wire name (as Dovecot: NO)
                throw no("[CANNOT] Mailbox name is not valid modified UTF-7: " + e.getMessage());
            }
        }
        if (name.length() > 1000) throw bad("Mailbox name too long");
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) throw bad("Control character in a mailbox name");
        }
        if (name.equalsIgnoreCase("INBOX")) return "INBOX";
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) return "INBOX" + name.substring(5);
        return name;
    }

    /** Resolves a name to the session's own mailbox or a shared one under "Other Users/" (RFC 4314 + RFC 2342). */
    Target target(String name) {
        if (name.startsWith(OTHER_USERS + "/")) {
            String rest = name.substring(OTHER_USERS.length() + 1);
            int slash = rest.indexOf('/');
            if (slash <= 0) return new Target(0, name, name, null, "", false);
            String owner = rest.substring(0, slash);
            String mb = rest.substring(slash + 1);
            for (Shared sh : shared()) {
                if (sh.owner.equalsIgnoreCase(owner) && (sh.info.name().equals(mb)
                        || (sh.info.name().equals("INBOX") && mb.equalsIgnoreCase("INBOX")))) {
                    return new Target(sh.info.accountId(), sh.info.name(), name, sh.info, sh.rights, false);
                }
            }
            return new Target(0, name, name, null, "", false);
        }
        MailboxInfo info = mailboxes().mailbox(account().id(), name).orElse(null);
        return new Target(account().id(), name, name, info, ALL_RIGHTS, true);
    }

    record Shared(MailboxInfo info, String owner, String rights) {
        String wireName() {
            return OTHER_USERS + "/" + owner + "/" + info.name();
        }
    }

    /** Other accounts' mailboxes this account may see (its own address's rights merged with "anyone"'s). */
    List<Shared> shared() {
        Map<Long, Shared> byId = new LinkedHashMap<>();
        List<Mailboxes.SharedMailbox> all = new ArrayList<>(mailboxes().sharedWith(account().address().toLowerCase(Locale.ROOT)));
        all.addAll(mailboxes().sharedWith("anyone"));
        for (Mailboxes.SharedMailbox sm : all) {
            if (sm.mailbox().accountId() == account().id()) continue;
            Shared prev = byId.get(sm.mailbox().id());
            String rights = prev == null ? sm.rights() : mergeRights(prev.rights, sm.rights());
            byId.put(sm.mailbox().id(), new Shared(sm.mailbox(), sm.owner(), rights));
        }
        return byId.values().stream().filter(s -> s.rights.indexOf('l') >= 0 || s.rights.indexOf('r') >= 0).toList();
    }

    static String mergeRights(String a, String b) {
        StringBuilder sb = new StringBuilder();
        for (char c : (ALL_RIGHTS + "cd").toCharArray()) if (a.indexOf(c) >= 0 || b.indexOf(c) >= 0) sb.append(c);
        return sb.toString();
    }

    Target existing(Arg a, char right) throws CommandFailed {
        Target t = target(mailboxName(a));
        if (t.info() == null) throw no("[NONEXISTENT] No such mailbox");
        if (!t.own() && !t.has(right)) {
            if (!t.has('l') && !t.has('r')) throw no("[NONEXISTENT] No such mailbox"); // RFC 4314 §6: do not reveal
            throw no("[NOPERM] Permission denied");
        }
        return t;
    }
}
