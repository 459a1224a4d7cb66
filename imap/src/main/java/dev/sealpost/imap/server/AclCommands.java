package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.MailboxResolver.Target;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static dev.sealpost.imap.server.ImapSession.ALL_RIGHTS;
import static dev.sealpost.imap.server.ImapSession.OTHER_USERS;

/**
 * RFC 4314 ACL: GETACL, SETACL, DELETEACL, LISTRIGHTS, MYRIGHTS (the owner has all rights; others
 * get what the owner granted them or "anyone").
 */
final class AclCommands extends CommandFamily {
    AclCommands(ImapSession session) {
        super(session);
    }

    Target aclTarget(Arg a) throws CommandFailed {
        Target t = existing(a, 'l');
        if (!t.own() && !t.has('a')) throw no("[NOPERM] You may not administer this mailbox");
        return t;
    }

    String ownerOf(Target t) {
        if (t.own()) return account().address();
        String rest = t.wireName().substring(OTHER_USERS.length() + 1);
        return rest.substring(0, rest.indexOf('/'));
    }

    String getAcl(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 1);
        Target t = aclTarget(a.get(0));
        StringBuilder sb = new StringBuilder("ACL ").append(mbox(t.wireName()));
        sb.append(' ').append(q(ownerOf(t))).append(' ').append(ALL_RIGHTS);
        for (Map.Entry<String, String> e : new TreeMap<>(mailboxes().acl(t.info().id())).entrySet()) {
            sb.append(' ').append(q(e.getKey())).append(' ').append(q(e.getValue()));
        }
        untagged(sb.toString());
        return "GETACL completed";
    }

    /** RFC 4314 §2.1.1: the obsolete "c" and "d" stand for "k" and "xte". */
    static String canonicalRights(String r) throws CommandFailed {
        StringBuilder sb = new StringBuilder();
        for (char c : r.toCharArray()) {
            if (c == 'c') sb.append('k');
            else if (c == 'd') sb.append("xte");
            else if (ALL_RIGHTS.indexOf(c) >= 0) sb.append(c);
            else throw bad("[INVALID] Unknown right " + c);
        }
        StringBuilder out = new StringBuilder();
        for (char c : ALL_RIGHTS.toCharArray()) if (sb.indexOf(String.valueOf(c)) >= 0) out.append(c);
        return out.toString();
    }

    String identifier(Arg a) throws CommandFailed {
        String idf = text(a).toLowerCase(Locale.ROOT);
        if (idf.isEmpty() || idf.length() > 320) throw bad("Invalid identifier");
        if (idf.startsWith("-")) throw no("[CANNOT] Negative rights are not supported"); // RFC 4314 §2
        return idf;
    }

    String setAcl(List<Arg> a) throws CommandFailed {
        argc(a, 3);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        if (who.equalsIgnoreCase(ownerOf(t))) throw no("[CANNOT] The owner's rights cannot be changed");
        String r = text(a.get(2));
        String current = mailboxes().acl(t.info().id()).getOrDefault(who, "");
        String next;
        if (r.startsWith("+")) next = canonicalRights(current + canonicalRights(r.substring(1)));
        else if (r.startsWith("-")) {
            String minus = canonicalRights(r.substring(1));
            StringBuilder sb = new StringBuilder();
            for (char c : canonicalRights(current).toCharArray()) if (minus.indexOf(c) < 0) sb.append(c);
            next = sb.toString();
        } else next = canonicalRights(r);
        mailboxes().setRights(t.info().id(), who, next);
        log.info("{} SETACL {} {} {}", id(), t.storeName(), who, next);
        return "SETACL completed";
    }

    String deleteAcl(List<Arg> a) throws CommandFailed {
        argc(a, 2);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        mailboxes().setRights(t.info().id(), who, "");
        return "DELETEACL completed";
    }

    String listRights(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 2);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        if (who.equalsIgnoreCase(ownerOf(t))) untagged("LISTRIGHTS " + mbox(t.wireName()) + " " + q(who) + " " + ALL_RIGHTS);
        else untagged("LISTRIGHTS " + mbox(t.wireName()) + " " + q(who) + " \"\" l r s w i p k x t e a");
        return "LISTRIGHTS completed";
    }

    String myRights(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 1);
        Target t = existing(a.get(0), 'l');
        untagged("MYRIGHTS " + mbox(t.wireName()) + " " + t.rights());
        return "MYRIGHTS completed";
    }
}
